package org.segstream.scenes.street;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FfmpegJpeg;
import org.segstream.contract.ImageIoJpeg;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.JpegStructure;

/** The decoder frames take (FFmpeg's) gives ImageIO's pixels within JPEG's tolerance on street-scene frames. */
class SceneJpegDecodeTest {

    @Test
    void sceneFramesDecodeAsWithImageIo() {
        assertTrue(FfmpegJpeg.available());
        for (int[] size : new int[][] {{640, 360}, {1280, 720}}) {
            var scene = new StreetScene(2024, size[0], size[1], 25);
            for (int i = 0; i < 50; i++) {
                BgrImage source = scene.next().image();
                if (i % 10 != 9) {
                    continue;
                }
                byte[] jpeg = JpegCodec.encode(source, 90);
                JpegStructure structure = JpegStructure.check(jpeg);
                BgrImage imageIo = ImageIoJpeg.decode(jpeg, structure);
                BgrImage decoded = JpegCodec.decode(jpeg, Long.MAX_VALUE);
                String what = size[0] + "x" + size[1] + " frame " + i;
                assertEquals(source.width(), decoded.width(), what);
                assertEquals(source.height(), decoded.height(), what);
                double mean = meanAbsoluteDifference(imageIo, decoded);
                assertTrue(mean < 2.0, what + ": mean difference " + mean);
                double lost = psnr(source, imageIo) - psnr(source, decoded);
                assertTrue(lost < 1.0, what + ": " + lost + " dB further from the source than ImageIO's decode");
            }
        }
    }

    private static double meanAbsoluteDifference(BgrImage a, BgrImage b) {
        long sum = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            sum += Math.abs((a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff));
        }
        return sum / (double) a.pixels().length;
    }

    private static double psnr(BgrImage a, BgrImage b) {
        double squared = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            int d = (a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff);
            squared += d * d;
        }
        return 10 * Math.log10(255.0 * 255.0 / Math.max(1e-9, squared / a.pixels().length));
    }
}
