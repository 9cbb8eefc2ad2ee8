package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.JpegStructure;
import org.segstream.contract.SourceKind;
import org.segstream.segmenter.model.InferenceModel;

/**
 * The read-ahead bound with inference on its own thread: past it the stream thread waits for the batch in flight
 * before it reads more, unless cameras run, whose next frames come in the same polls as a file backlog's and would
 * age in the consumer while it waits.
 */
class ReadAheadTest {
    private static final int W = 32;
    private static final int H = 18;
    private static final byte[] JPEG = JpegCodec.encode(new BgrImage(W, H, new byte[W * H * 3]), 80);
    private static final JpegStructure STRUCTURE = JpegStructure.check(JPEG);

    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Object owner = new Object();
    private long offset;

    /** Holds every batch until released. */
    private final InferenceModel heldModel = (nhwc, n, height, width, releaseMemory) -> {
        started.countDown();
        release.await();
        return blankMasks(n, width, height);
    };

    @Test
    void whileACameraRunsAFileBacklogDoesNotStopTheReading() throws Exception {
        try (var runner = InferenceRunner.onOwnThread(heldModel, "test-inference")) {
            FrameBatcher batcher = batcher(runner);
            long now = System.currentTimeMillis();
            batcher.add(frame("cam", SourceKind.LIVE, now), now);
            Thread reader = readFileBacklog(batcher, 20);
            assertTrue(started.await(60, TimeUnit.SECONDS), "a batch went to the model");
            reader.join(TimeUnit.SECONDS.toMillis(60));
            assertEquals(Thread.State.TERMINATED, reader.getState(), "the thread read the whole backlog while the model computed");
            release.countDown();
        }
    }

    @Test
    void withoutCamerasTheThreadWaitsForTheBatchPastTheBound() throws Exception {
        try (var runner = InferenceRunner.onOwnThread(heldModel, "test-inference")) {
            FrameBatcher batcher = batcher(runner);
            Thread reader = readFileBacklog(batcher, 20);
            assertTrue(started.await(60, TimeUnit.SECONDS), "a batch went to the model");
            await().atMost(Duration.ofSeconds(60)).until(() -> reader.getState() == Thread.State.WAITING
                    || reader.getState() == Thread.State.TIMED_WAITING);
            assertTrue(reader.isAlive(), "past the bound the thread waits for the batch in flight");
            release.countDown();
            reader.join(TimeUnit.SECONDS.toMillis(60));
            assertEquals(Thread.State.TERMINATED, reader.getState(), "and reads on once it is done");
        }
    }

    @Test
    void runsAtOnceStayWithinTheBatchPixelBound() throws Exception {
        assertEquals(2, maxRunsAtOnce(2), "two batches of 2 frames fit the bound of 4 frames' pixels together");
        assertEquals(1, maxRunsAtOnce(4), "a batch of 4 frames fills the bound and runs alone");
    }

    @Test
    void aFileBacklogKeepsOffARunWhenACamerasNextFrameIsDueBeforeAFileBatchWouldBeDone() throws Exception {
        assertEquals(1, mostFileRunsBesideACameraAt(25), "a 25 fps camera's next frame is due within a file frame's 100 ms");
    }

    @Test
    void nextToASlowCameraAFileBacklogTakesEveryRun() throws Exception {
        assertEquals(2, mostFileRunsBesideACameraAt(2), "a 2 fps camera's next frame is 500 ms off");
    }

    /**
     * The most file batches computing at once, two runs, once a camera at {@code cameraFps} has sent a frame (the clock
     * then stands still, so it stays active). File frames take 100 ms each, camera frames (another size) nothing: the
     * file's predicted time stays 100 ms, past the 40 ms to a 25 fps camera's next frame.
     */
    private int mostFileRunsBesideACameraAt(double cameraFps) throws Exception {
        var fileRunning = new java.util.concurrent.atomic.AtomicInteger();
        var mostFileRuns = new java.util.concurrent.atomic.AtomicInteger();
        InferenceModel model = (nhwc, n, height, width, releaseMemory) -> {
            if (width != W) {
                mostFileRuns.accumulateAndGet(fileRunning.incrementAndGet(), Math::max);
                Thread.sleep(100);
                fileRunning.decrementAndGet();
            }
            return blankMasks(n, width, height);
        };
        try (var runner = InferenceRunner.onOwnThreads(model, "test-inference", 2)) {
            FrameBatcher batcher = oneFrameBatches(runner);
            long start = System.currentTimeMillis();
            for (int i = 0; i < 4; i++) { // the file's frames timed first, without a camera
                batcher.add(frame("file", SourceKind.FILE, start, 2 * W, 2 * H, 25), start);
                batcher.runReady(start);
            }
            awaitIdle(batcher, start);
            mostFileRuns.set(0);
            long now = start + 1;
            batcher.add(frame("cam", SourceKind.LIVE, now, W, H, cameraFps), now);
            batcher.runReady(now);
            for (int i = 0; i < 8; i++) {
                batcher.add(frame("file", SourceKind.FILE, now, 2 * W, 2 * H, 25), now);
                batcher.runReady(now);
            }
            awaitIdle(batcher, now);
            return mostFileRuns.get();
        }
    }

    private static void awaitIdle(FrameBatcher batcher, long clockMillis) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            batcher.runDue(clockMillis);
            return batcher.idle();
        });
    }

    @Test
    void fileFramesUseTheOtherRunWhileACameraFrameComputes() throws Exception {
        var releaseCamera = new CountDownLatch(1);
        var cameraStarted = new CountDownLatch(1);
        // Camera frames (W x H) are held until released; file frames (twice the size) are done at once.
        InferenceModel model = (nhwc, n, height, width, releaseMemory) -> {
            if (width == W) {
                cameraStarted.countDown();
                releaseCamera.await(60, TimeUnit.SECONDS);
            }
            return blankMasks(n, width, height);
        };
        try (var runner = InferenceRunner.onOwnThreads(model, "test-inference", 2)) {
            FrameBatcher batcher = oneFrameBatches(runner);
            // One instant for the whole test: the camera stays active (it sent a frame just now) however long it takes.
            long now = System.currentTimeMillis();
            batcher.add(frame("cam", SourceKind.LIVE, now, W, H), now);
            batcher.runReady(now);
            assertTrue(cameraStarted.await(60, TimeUnit.SECONDS), "the camera's frame went to the model");
            for (int i = 0; i < 8; i++) {
                batcher.add(frame("file", SourceKind.FILE, now, 2 * W, 2 * H), now);
                batcher.runReady(now);
            }
            // The file's frames all run on the other run while the camera's frame computes (kept off it, they never would).
            await("the file's frames done beside the camera's").atMost(Duration.ofSeconds(60)).until(() -> {
                batcher.runDue(now);
                return batcher.waitingFrames() == 0 && runner.inFlight() == 1;
            });
            releaseCamera.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                batcher.runDue(System.currentTimeMillis());
                return batcher.idle();
            });
        }
    }

    /** The most batches the model computed at once for a file backlog, with two runs and a bound of 4 frames' pixels. */
    private int maxRunsAtOnce(int batchSize) throws Exception {
        var running = new java.util.concurrent.atomic.AtomicInteger();
        var most = new java.util.concurrent.atomic.AtomicInteger();
        var twoStarted = new CountDownLatch(2);
        InferenceModel slow = (nhwc, n, height, width, releaseMemory) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            twoStarted.countDown();
            twoStarted.await(2, TimeUnit.SECONDS); // gives a second batch the time to start beside this one, if it may
            running.decrementAndGet();
            return blankMasks(n, width, height);
        };
        try (var runner = InferenceRunner.onOwnThreads(slow, "test-inference", 2)) {
            var batcher = new FrameBatcher(runner, batchSize, 50, 600_000, true, InputSizing.NATIVE,
                    InputLimits.defaults().withMaxBatchPixels((long) W * H * 4), new SegmenterStats());
            Thread reader = readFileBacklog(batcher, 8);
            reader.join(TimeUnit.SECONDS.toMillis(60));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                batcher.runDue(System.currentTimeMillis());
                return batcher.idle();
            });
        }
        return most.get();
    }

    /** Masks of class 0 for a batch of {@code n} frames. */
    private static ClassMap[] blankMasks(int n, int width, int height) {
        ClassMap[] maps = new ClassMap[n];
        for (int i = 0; i < n; i++) {
            maps[i] = new ClassMap(width, height, new byte[width * height]);
        }
        return maps;
    }

    /** Batches of one frame, a batch pixel bound far off, frames never too old. */
    private static FrameBatcher oneFrameBatches(InferenceRunner runner) {
        return new FrameBatcher(runner, 1, 50, 600_000, true, InputSizing.NATIVE,
                InputLimits.defaults().withMaxBatchPixels((long) W * H * 64), new SegmenterStats());
    }

    /** Batches of 4, the read-ahead bound at 4 frames' pixels, frames never too old. */
    private static FrameBatcher batcher(InferenceRunner runner) {
        return new FrameBatcher(runner, 4, 50, 600_000, true, InputSizing.NATIVE,
                InputLimits.defaults().withMaxBatchPixels((long) W * H * 4), new SegmenterStats());
    }

    /** Hands {@code frames} file frames to the batcher on a thread of its own, as Kafka Streams would one by one. */
    private Thread readFileBacklog(FrameBatcher batcher, int frames) {
        Thread reader = new Thread(() -> {
            for (int i = 0; i < frames; i++) {
                long now = System.currentTimeMillis();
                batcher.add(frame("file", SourceKind.FILE, now), now);
                batcher.runReady(now);
            }
        }, "stream-thread");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private PendingFrame frame(String stream, SourceKind kind, long sentMs) {
        return frame(stream, kind, sentMs, W, H);
    }

    private PendingFrame frame(String stream, SourceKind kind, long sentMs, int width, int height) {
        return frame(stream, kind, sentMs, width, height, 25);
    }

    private PendingFrame frame(String stream, SourceKind kind, long sentMs, int width, int height, double fps) {
        var headers = new RecordHeaders();
        long seq = offset;
        var identity = new FrameIdentity(stream, "s1", seq, seq * 40_000L, sentMs, width, height, fps, "jpeg", kind);
        identity.writeTo(headers);
        byte[] jpeg = width == W ? JPEG : JpegCodec.encode(new BgrImage(width, height, new byte[width * height * 3]), 80);
        return PendingFrame.frame(new StoredRecord(0, offset++, sentMs, stream, headers, jpeg), owner, identity, JpegStructure.check(jpeg));
    }
}
