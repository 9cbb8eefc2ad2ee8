package org.segstream.contract;

import static org.segstream.contract.JpegEdits.asFourComponents;
import static org.segstream.contract.JpegEdits.sofOffset;
import static org.segstream.contract.JpegEdits.withSofSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

/** Hostile JPEG frames are refused from their markers, before a decoder allocates anything. */
class JpegStructureTest {

    @Test
    void baselineAndProgressiveColourJpegsAreFrames() throws Exception {
        byte[] baseline = JpegCodec.encode(pattern(65, 33), 90);
        assertEquals(new JpegStructure(65, 33, 3, false), JpegStructure.check(baseline));

        byte[] progressive = write(colourImage(80, 48), "jpeg", true);
        assertEquals(new JpegStructure(80, 48, 3, true), JpegStructure.check(progressive));
        assertEquals(80, JpegCodec.decode(progressive, 10_000).width());

        byte[] trailing = Arrays.copyOf(baseline, baseline.length + 100); // padding after the end marker, as some cameras send
        assertEquals(65, JpegCodec.decode(trailing, 10_000).width());
    }

    @Test
    void aTruncatedJpegIsRefusedWhateverSizeItDeclares() {
        byte[] jpeg = JpegCodec.encode(pattern(320, 180), 90);
        byte[] cut = Arrays.copyOf(jpeg, 1200);
        String reason = assertThrows(BadRecordException.class, () -> JpegStructure.check(cut)).getMessage();
        assertTrue(reason.startsWith("truncated JPEG (1200 bytes)"), reason);

        byte[] declared4k = withSofSize(cut, 3840, 2160);
        reason = assertThrows(BadRecordException.class, () -> JpegCodec.decode(declared4k, 3840L * 2160)).getMessage();
        assertEquals("JPEG of 1200 bytes cannot hold the 3840x2160 it declares (at least 48600 bytes)", reason);

        for (int length : new int[] {1, 3, 4, 20, jpeg.length - 1}) {
            assertThrows(BadRecordException.class, () -> JpegStructure.check(Arrays.copyOf(jpeg, length)), length + " bytes");
        }
    }

    @Test
    void imageDataCutShortButEndedWithAnEndMarkerIsRefusedByTheDecoder() {
        byte[] jpeg = JpegCodec.encode(pattern(320, 180), 90);
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2 + 2);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        JpegStructure.check(cut); // the markers alone look whole
        String reason = assertThrows(BadRecordException.class, () -> JpegCodec.decode(cut, 1_000_000)).getMessage();
        assertTrue(reason.startsWith("undecodable JPEG"), reason);
    }

    @Test
    void aSizeOverTheLimitIsRefusedFromTheFrameHeader() {
        byte[] jpeg = JpegCodec.encode(pattern(200, 100), 90);
        assertEquals(20_000, JpegStructure.check(jpeg).pixels());
        String reason = assertThrows(BadRecordException.class, () -> JpegCodec.decode(jpeg, 10_000)).getMessage();
        assertEquals("JPEG declares 200x100, over the limit of 10000 pixels", reason);
    }

    @Test
    void aFileTooSmallForTheSizeItDeclaresIsRefusedButAFlatFrameIsNot() throws Exception {
        byte[] hollow = withSofSize(JpegCodec.encode(pattern(64, 32), 90), 7680, 4320); // complete, but 2 KB
        assertEquals("JPEG of " + hollow.length + " bytes cannot hold the 7680x4320 it declares (at least 194400 bytes)",
                assertThrows(BadRecordException.class, () -> JpegStructure.check(hollow)).getMessage());

        // The floors are lower bounds: the smallest real frames, all black, pass.
        var black = new BufferedImage(3840, 2160, BufferedImage.TYPE_3BYTE_BGR);
        assertEquals(3840, JpegStructure.check(JpegCodec.encode(new BgrImage(3840, 2160, new byte[3840 * 2160 * 3]), 1)).width());
        assertEquals(new JpegStructure(3840, 2160, 3, true), JpegStructure.check(write(black, "jpeg", true)));
    }

    @Test
    void pngGreyscaleCmykAndGarbageAreNoFrames() throws Exception {
        assertEquals("value is not a JPEG (a PNG image)",
                assertThrows(BadRecordException.class, () -> JpegStructure.check(write(colourImage(8, 8), "png", false))).getMessage());

        var grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        assertEquals("JPEG is greyscale (1 component), expected 3 (YCbCr or RGB)",
                assertThrows(BadRecordException.class, () -> JpegStructure.check(write(grey, "jpeg", false))).getMessage());

        assertEquals("JPEG is CMYK or YCCK (4 components), expected 3 (YCbCr or RGB)",
                assertThrows(BadRecordException.class, () -> JpegStructure.check(asFourComponents(JpegCodec.encode(pattern(16, 16), 90))))
                        .getMessage());

        assertEquals("value is not a JPEG (it starts with 01 02 03 04)",
                assertThrows(BadRecordException.class, () -> JpegStructure.check(new byte[] {1, 2, 3, 4, 5})).getMessage());
        assertEquals("value is empty, expected a JPEG frame",
                assertThrows(BadRecordException.class, () -> JpegStructure.check(new byte[0])).getMessage());
        assertTrue(assertThrows(BadRecordException.class, () -> JpegStructure.check(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}))
                .getMessage().startsWith("corrupt JPEG"));
    }

    @Test
    void onlyHuffmanCodedEightBitFramesAreTaken() {
        byte[] jpeg = JpegCodec.encode(pattern(16, 16), 90);
        int sof = sofOffset(jpeg);
        byte[] arithmetic = jpeg.clone();
        arithmetic[sof + 1] = (byte) 0xC9;
        assertTrue(assertThrows(BadRecordException.class, () -> JpegStructure.check(arithmetic)).getMessage().contains("arithmetic"));
        byte[] lossless = jpeg.clone();
        lossless[sof + 1] = (byte) 0xC3;
        assertTrue(assertThrows(BadRecordException.class, () -> JpegStructure.check(lossless)).getMessage().contains("lossless"));
        byte[] twelveBit = jpeg.clone();
        twelveBit[sof + 4] = 12;
        assertTrue(assertThrows(BadRecordException.class, () -> JpegStructure.check(twelveBit)).getMessage().contains("12-bit"));
        assertFalse(JpegStructure.check(jpeg).progressive());
    }

    static BgrImage pattern(int width, int height) {
        byte[] px = new byte[width * height * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i * 31) ^ (i >> 7));
        }
        return new BgrImage(width, height, px);
    }

    static BufferedImage colourImage(int width, int height) {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 5) << 16 | (y * 5) << 8 | 128);
            }
        }
        return image;
    }

    static byte[] write(BufferedImage image, String format, boolean progressive) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try (var bytes = new ByteArrayOutputStream(); var out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
            out.flush();
            return bytes.toByteArray();
        } finally {
            writer.dispose();
        }
    }
}
