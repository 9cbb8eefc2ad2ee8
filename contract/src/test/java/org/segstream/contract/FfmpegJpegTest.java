package org.segstream.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** FFmpeg's decoder gives ImageIO's pixels within JPEG's tolerance, refuses what is corrupt, and frees what it takes. */
class FfmpegJpegTest {

    @Test
    void loadsOnThisPlatform() {
        assertTrue(FfmpegJpeg.available(), "FFmpeg's natives ship for the build platform");
    }

    @Test
    void decodesAsImageIoDoesWithinJpegTolerance() {
        for (int[] size : new int[][] {{640, 360}, {1280, 720}, {321, 181}, {66, 34}, {65, 33}, {17, 9}}) {
            for (int quality : new int[] {90, 60}) {
                BgrImage source = JpegFrames.street(size[0], size[1]);
                byte[] jpeg = JpegCodec.encode(source, quality);
                JpegStructure structure = JpegStructure.check(jpeg);
                BgrImage imageIo = ImageIoJpeg.decode(jpeg, structure);
                BgrImage ffmpeg = FfmpegJpeg.decode(jpeg, structure);
                String what = size[0] + "x" + size[1] + " q" + quality;

                assertEquals(source.width(), ffmpeg.width(), what);
                assertEquals(source.height(), ffmpeg.height(), what);
                assertTrue(JpegFrames.meanAbsoluteDifference(imageIo, ffmpeg) < 2.5, what + ": mean difference "
                        + JpegFrames.meanAbsoluteDifference(imageIo, ffmpeg));
                // Only chroma upsampling differs (see FfmpegJpegDecoder). Its cost grows with the share of pixels on
                // a colour edge: 0.1 to 0.5 dB on camera-sized frames, up to 1.6 dB on a thumbnail with hard edges.
                double imageIoPsnr = JpegFrames.psnr(source, imageIo);
                double ffmpegPsnr = JpegFrames.psnr(source, ffmpeg);
                assertTrue(ffmpegPsnr > imageIoPsnr - 2, what + ": " + ffmpegPsnr + " dB against ImageIO's " + imageIoPsnr);
            }
        }
    }

    @Test
    void flatColoursKeepTheirValuesAndByteOrder() {
        int[][] bgr = {{250, 10, 10}, {10, 250, 10}, {10, 10, 250}, {128, 128, 128}, {0, 0, 0}, {255, 255, 255}};
        int w = 16 * bgr.length;
        int h = 16;
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            int[] colour = bgr[(i % w) / 16]; // 16-pixel blocks: one chroma sample never spans two colours
            for (int c = 0; c < 3; c++) {
                px[3 * i + c] = (byte) colour[c];
            }
        }
        byte[] jpeg = JpegCodec.encode(new BgrImage(w, h, px), 95);
        BgrImage back = FfmpegJpeg.decode(jpeg, JpegStructure.check(jpeg));
        for (int block = 0; block < bgr.length; block++) {
            int centre = 3 * (8 * w + 16 * block + 8);
            for (int c = 0; c < 3; c++) {
                int got = back.pixels()[centre + c] & 0xff;
                assertTrue(Math.abs(got - bgr[block][c]) <= 4, "block " + block + " channel " + c + ": " + got);
            }
        }
    }

    @Test
    void imageDataCutShortIsRefusedNotFilledIn() {
        byte[] jpeg = JpegCodec.encode(JpegFrames.street(320, 180), 90);
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2 + 2);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        JpegStructure structure = JpegStructure.check(cut);

        String reason = assertThrows(BadRecordException.class, () -> FfmpegJpeg.decode(cut, structure)).getMessage();
        assertTrue(reason.startsWith("undecodable JPEG: "), reason);
        // JpegCodec then asks ImageIO, whose message says what is wrong.
        assertEquals("undecodable JPEG: Corrupt JPEG data: premature end of data segment",
                assertThrows(BadRecordException.class, () -> JpegCodec.decode(cut, 1_000_000)).getMessage());
    }

    @Test
    void aDecoderKeepsWorkingAfterACorruptFrameAndAcrossSizes() {
        byte[] small = JpegCodec.encode(JpegFrames.street(64, 36), 90);
        byte[] large = JpegCodec.encode(JpegFrames.street(320, 180), 90);
        byte[] cut = Arrays.copyOf(large, large.length / 2);
        BgrImage expectedSmall = FfmpegJpeg.decode(small, JpegStructure.check(small));
        BgrImage expectedLarge = FfmpegJpeg.decode(large, JpegStructure.check(large));
        try (var decoder = new FfmpegJpegDecoder(FfmpegJpegDecoder.DEFAULT_SWS_FLAGS)) {
            for (int round = 0; round < 3; round++) {
                assertArrayEquals(expectedLarge.pixels(), decoder.decode(large, JpegStructure.check(large)).pixels());
                assertThrows(BadRecordException.class, () -> decoder.decode(withEnd(cut), JpegStructure.check(withEnd(cut))));
                assertArrayEquals(expectedSmall.pixels(), decoder.decode(small, JpegStructure.check(small)).pixels());
            }
        }
    }

    @Test
    void threadsDecodeAtOnceWithoutMixingFrames() throws Exception {
        List<byte[]> jpegs = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] jpeg = JpegCodec.encode(JpegFrames.street(96 + 32 * i, 64 + 16 * i), 90);
            jpegs.add(jpeg);
            expected.add(FfmpegJpeg.decode(jpeg, JpegStructure.check(jpeg)).pixels());
        }
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int first = t;
                done.add(threads.submit(() -> {
                    for (int n = 0; n < 300; n++) {
                        int i = (first + n) % jpegs.size();
                        assertArrayEquals(expected.get(i), JpegCodec.decode(jpegs.get(i), Long.MAX_VALUE).pixels());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
    }

    /**
     * Native memory stays flat over 10,000 decodes: a frame or buffer left behind per decode (about
     * 170 KB at this size) would add well over a gigabyte. The process's resident size, less what the
     * Java heap grew by, is what native allocations hold.
     */
    @Test
    void tenThousandDecodesHoldNoMoreNativeMemory() {
        byte[] jpeg = JpegCodec.encode(JpegFrames.street(320, 180), 90);
        JpegStructure structure = JpegStructure.check(jpeg);
        for (int i = 0; i < 1_000; i++) {
            FfmpegJpeg.decode(jpeg, structure);
        }
        long before = nativeBytes();
        for (int i = 0; i < 10_000; i++) {
            FfmpegJpeg.decode(jpeg, structure);
        }
        long grown = nativeBytes() - before;
        assertTrue(grown < 64L << 20, "native memory grew by " + (grown >> 20) + " MiB over 10,000 decodes");
    }

    private static long nativeBytes() {
        System.gc();
        return Pointer.physicalBytes() - Runtime.getRuntime().totalMemory();
    }

    private static byte[] withEnd(byte[] cut) {
        byte[] ended = Arrays.copyOf(cut, cut.length + 2);
        ended[cut.length] = (byte) 0xFF;
        ended[cut.length + 1] = (byte) 0xD9;
        return ended;
    }
}
