package org.segstream.contract;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;

/**
 * JPEG encoding of frames (the frames topic's default value format) and decoding back to BGR.
 * Frames are decoded with FFmpeg where its natives load ({@link FfmpegJpeg}, several times faster),
 * else with ImageIO ({@link ImageIoJpeg}); both give the same pixels within JPEG's rounding.
 */
public final class JpegCodec {
    private JpegCodec() {
    }

    /** Encodes packed BGR pixels; quality 1..100. */
    public static byte[] encode(BgrImage image, int quality) {
        return ImageIoJpeg.encode(image, quality);
    }

    /**
     * Decodes a JPEG frame into packed BGR. Its structure is checked first ({@link JpegStructure#check}):
     * anything but a complete 3-component baseline or progressive JPEG, or one whose frame header declares
     * more than {@code maxPixels}, is refused before the decoder allocates anything.
     */
    public static BgrImage decode(byte[] jpeg, long maxPixels) {
        return decode(jpeg, JpegStructure.check(jpeg), maxPixels);
    }

    /**
     * As {@link #decode(byte[], long)}, for a caller that has already checked these bytes' structure
     * ({@code structure} is {@link JpegStructure#check} of {@code jpeg}). A frame whose image data ends
     * early or breaks the bitstream is refused, never filled in. One whose corrupt data still decodes into
     * every block is taken, as video decoders take it (ImageIO alone used to refuse some of these, for
     * "extraneous bytes before marker": 38 of 300 frames with three random bytes changed).
     */
    public static BgrImage decode(byte[] jpeg, JpegStructure structure, long maxPixels) {
        if (structure.pixels() > maxPixels) {
            throw new BadRecordException("JPEG declares " + structure.width() + "x" + structure.height()
                    + ", over the limit of " + maxPixels + " pixels");
        }
        if (FfmpegJpeg.available()) {
            try {
                return FfmpegJpeg.decode(jpeg, structure);
            } catch (BadRecordException e) {
                // Rare (a corrupt frame): ImageIO's libjpeg either names what is wrong or, where it reads the
                // frame without a warning, the two decoders disagree on an edge case and its pixels stand.
            }
        }
        return ImageIoJpeg.decode(jpeg, structure);
    }

    /** A TYPE_3BYTE_BGR BufferedImage sharing the BGR pixels (no copy). */
    public static BufferedImage wrap(BgrImage image) {
        int w = image.width();
        var buffer = new DataBufferByte(image.pixels(), image.pixels().length);
        var raster = Raster.createInterleavedRaster(buffer, w, image.height(), w * 3, 3, new int[] {2, 1, 0}, null);
        var colours = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(colours, raster, false, null);
    }
}
