package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.scenes.TestClips;
import org.segstream.scenes.TestPattern;

class VideoDecoderTest {

    @Test
    void decodesEveryFrameAtTheExactOddSize(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("odd.mkv"), 131, 77, 15, 25);
        try (var decoder = VideoDecoder.open(SourceSpec.parse(clip.toString()), 1_000_000)) {
            assertEquals(25.0, decoder.frameRate(), 0.01);
            for (int i = 0; i < 15; i++) {
                DecodedFrame frame = decoder.next();
                assertEquals(131, frame.image().width());
                assertEquals(77, frame.image().height());
                org.junit.jupiter.api.Assertions.assertArrayEquals(TestPattern.frame(i, 131, 77).pixels(), frame.image().pixels(), "frame " + i);
            }
            assertNull(decoder.next());
        }
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        var error = assertThrows(SourceException.class,
                () -> VideoDecoder.open(SourceSpec.parse("cam=" + dir.resolve("nope.mp4")), 1_000_000));
        assertEquals("source 'cam' (" + dir.resolve("nope.mp4") + "): no such file", error.getMessage());
    }

    @Test
    void fileThatIsNotVideoIsNamedInOneLine(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n".repeat(100));
        var error = assertThrows(SourceException.class, () -> VideoDecoder.open(SourceSpec.parse(text.toString()), 1_000_000));
        assertTrue(error.getMessage().startsWith("source 'notes' (" + text + "): "), error.getMessage());
        assertTrue(error.getMessage().contains("Invalid data found"), error.getMessage());
        assertEquals(-1, error.getMessage().indexOf('\n'));
    }

    @Test
    void unreachableUrlFailsInBoundedTime() {
        long start = System.nanoTime();
        var error = assertThrows(SourceException.class,
                () -> VideoDecoder.open(SourceSpec.parse("http://127.0.0.1:9/none.mp4"), 1_000_000));
        assertTrue(error.getMessage().startsWith("source 'none' (http://127.0.0.1:9/none.mp4): "), error.getMessage());
        assertTrue(System.nanoTime() - start < 60_000_000_000L, "gave up within the read timeout");
    }

    @Test
    void aCameraThatNeverAnswersDoesNotHoldBackAnotherSourcesOpening(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("file.mkv"), 64, 32, 3, 25);
        var pool = Executors.newFixedThreadPool(3);
        var silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        try {
            // Accepts the camera's connection and never answers: its probe waits out the read timeout (120 s here).
            Future<Socket> accepted = pool.submit(silent::accept);
            Future<VideoDecoder> camera = pool.submit(() -> VideoDecoder.open(
                    SourceSpec.parse("cam=http://127.0.0.1:" + silent.getLocalPort() + "/live.ts"), 1_000_000, 120_000_000L));
            Socket connection = accepted.get(30, TimeUnit.SECONDS);
            // A local file opens in milliseconds; waiting for the camera's probe it would take the camera's 120 s.
            int width;
            try {
                width = CompletableFuture.supplyAsync(() -> {
                    try (var file = VideoDecoder.open(SourceSpec.parse(clip.toString()), 1_000_000)) {
                        return file.next().image().width();
                    } catch (SourceException e) {
                        throw new IllegalStateException(e);
                    }
                }, pool).get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the file's opening waited for the camera's probe", e);
            }
            assertEquals(64, width);
            assertFalse(camera.isDone(), "the camera's probe still waits");
            // The camera's server goes away: its open fails now, named.
            connection.close();
            silent.close();
            var error = assertThrows(ExecutionException.class, () -> camera.get(90, TimeUnit.SECONDS));
            assertTrue(error.getCause().getMessage().startsWith("source 'cam' ("), error.getCause().getMessage());
        } finally {
            silent.close();
            pool.shutdownNow();
        }
    }

    @Test
    void framesOverThePixelCapAreRefusedBeforeDecoding(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("big.mkv"), 200, 100, 2, 25);
        var error = assertThrows(SourceException.class, () -> VideoDecoder.open(SourceSpec.parse(clip.toString()), 10_000));
        assertTrue(error.getMessage().contains("200x100"), error.getMessage());
    }

    @Test
    void cameraDevicesOpenWithVideo4Linux2AndOnlyFileAccess() throws Exception {
        var camera = SourceSpec.parse("cam=v4l2:///dev/video0");
        assertEquals("video4linux2", DecoderOptions.inputFormat(camera));
        assertEquals("file", DecoderOptions.protocolWhitelist(camera));
        assertNull(DecoderOptions.inputFormat(SourceSpec.parse("/data/clip.mp4")));
        org.bytedeco.javacv.FFmpegFrameGrabber.tryLoad(); // registers FFmpeg's devices
        assertTrue(org.bytedeco.ffmpeg.global.avformat.av_find_input_format("video4linux2") != null,
                "the bundled FFmpeg has the video4linux2 input");
    }

    @Test
    void missingCameraDeviceIsNamed() {
        int n = 0;
        while (Files.exists(Path.of("/dev/video" + n))) { // a machine with cameras: the first index that has none
            n++;
        }
        String device = "/dev/video" + n;
        var error = assertThrows(SourceException.class, () -> VideoDecoder.open(SourceSpec.parse("cam=" + device), 1_000_000));
        assertEquals("source 'cam' (" + device + "): no such device", error.getMessage());
        error = assertThrows(SourceException.class, () -> VideoDecoder.open(SourceSpec.parse("cam=v4l2://" + device), 1_000_000));
        assertEquals("source 'cam' (" + device + "): no such device", error.getMessage());
    }
}
