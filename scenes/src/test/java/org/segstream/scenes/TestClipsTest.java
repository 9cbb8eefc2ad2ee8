package org.segstream.scenes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.BgrImage;

class TestClipsTest {

    @Test
    void losslessClipGivesBackEveryPixelOfEveryFrame(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("clip.mkv"), 161, 91, 12, 25);

        try (var grabber = new FFmpegFrameGrabber(clip.toFile())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            grabber.start();
            int n = 0;
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                BgrImage expected = TestPattern.frame(n, 161, 91);
                assertArrayEquals(expected.pixels(), packed(frame), "frame " + n);
                assertEquals(n, TestPattern.readIndex(expected));
                n++;
            }
            assertEquals(12, n);
        }
    }

    @Test
    void oddSizedMp4IsH264AtTheExactSize(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("odd.mp4"), 133, 75, 10, 30);
        try (var grabber = new FFmpegFrameGrabber(clip.toFile())) {
            grabber.start();
            assertEquals("h264", grabber.getVideoCodecName());
            assertEquals(133, grabber.getImageWidth());
            assertEquals(75, grabber.getImageHeight());
            int n = 0;
            while (grabber.grabImage() != null) {
                n++;
            }
            assertEquals(10, n);
        }
    }

    private static byte[] packed(Frame frame) {
        int row = frame.imageWidth * 3;
        byte[] out = new byte[row * frame.imageHeight];
        ByteBuffer buffer = (ByteBuffer) frame.image[0];
        for (int y = 0; y < frame.imageHeight; y++) {
            buffer.position(y * frame.imageStride);
            buffer.get(out, y * row, row);
        }
        return out;
    }
}
