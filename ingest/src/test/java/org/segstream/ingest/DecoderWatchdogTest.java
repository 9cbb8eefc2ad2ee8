package org.segstream.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.scenes.TestClips;

class DecoderWatchdogTest {

    private static long decoderThreads(String stream) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("segstream-decoder-" + stream)).count();
    }

    @Test
    void aCallThatNeverReturnsFailsAfterTheTimeoutAndItsThreadIsAbandoned(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("cam.mkv"), 64, 48, 3, 25);
        SourceSpec source = SourceSpec.parse("hung=" + clip);
        var release = new CountDownLatch(1);
        var watchdog = new DecoderWatchdog(source, Duration.ofMillis(300));
        long start = System.nanoTime();
        var error = assertThrows(DecoderWatchdog.DecoderStalledException.class, () -> watchdog.open(() -> {
            release.await(); // a probe that hangs
            return VideoDecoder.open(source, 1_000_000);
        }, Duration.ofMillis(300)));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals("source 'hung' (" + clip + "): no frame decoded for 0.3 s (opening blocked); decoder abandoned", error.getMessage());
        assertTrue(waitedMs >= 300 && waitedMs < 5000, "gave up after the timeout: " + waitedMs + " ms");
        watchdog.close(); // does not wait for the stuck call
        assertEquals(1, decoderThreads("hung"), "the stuck call keeps its own thread");

        release.countDown(); // the call returns: the decoder it opened is closed and the thread ends
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertEquals(0, decoderThreads("hung")));
    }

    @Test
    void framesPassThroughAndCloseReleasesTheThread(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("cam.mkv"), 64, 48, 3, 25);
        SourceSpec source = SourceSpec.parse("fine=" + clip);
        try (var watchdog = new DecoderWatchdog(source, Duration.ofSeconds(5))) {
            watchdog.open(() -> VideoDecoder.open(source, 1_000_000), Duration.ofSeconds(5));
            for (int i = 0; i < 3; i++) {
                assertEquals(64, watchdog.next().image().width());
            }
            assertNull(watchdog.next());
        }
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertEquals(0, decoderThreads("fine")));
    }
}
