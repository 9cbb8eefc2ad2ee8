package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.segmenter.model.InferenceModel;

/**
 * The hand-over between the stream thread and the inference thread: submit returns while the model still
 * computes, the stream thread sees nothing until the batch is done, then gets its masks (or its error), and
 * the next batch never packs into a buffer a running batch still reads.
 */
class InferenceRunnerTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);

    /** A model that holds each batch until released and answers class i for the i-th frame's pixels. */
    private final InferenceModel heldModel = (nhwc, n, height, width, releaseMemory) -> {
        started.countDown();
        release.await();
        ClassMap[] maps = new ClassMap[n];
        for (int i = 0; i < n; i++) {
            byte[] classes = new byte[width * height];
            java.util.Arrays.fill(classes, (byte) nhwc.get(i * width * height * 3));
            maps[i] = new ClassMap(width, height, classes);
        }
        return maps;
    };

    @Test
    void aBatchRunsOnItsOwnThreadAndItsMasksComeBackWhenDone() throws Exception {
        try (var runner = InferenceRunner.onOwnThread(heldModel, "test-inference")) {
            ModelInputBuffer buffer = runner.buffer();
            var nhwc = buffer.pack(List.of(image(2, 1, 7), image(2, 1, 9)));
            runner.submit(new InferenceRunner.Job(frames(2), buffer, nhwc, 1, 2, false));
            started.await();
            assertEquals(1, runner.inFlight());
            assertTrue(runner.collect().isEmpty(), "nothing to collect while the model computes");
            assertNotSame(buffer, runner.buffer(), "the next batch packs into another buffer");
            release.countDown();
            List<InferenceRunner.Done> done = runner.awaitNext();
            assertEquals(1, done.size());
            assertEquals(0, runner.inFlight());
            assertArrayEquals(new byte[] {7, 7}, done.get(0).masks()[0].classes());
            assertArrayEquals(new byte[] {9, 9}, done.get(0).masks()[1].classes());
        }
    }

    @Test
    void aFailedBatchComesBackWithItsError() throws Exception {
        InferenceModel failing = (nhwc, n, height, width, releaseMemory) -> {
            throw new IllegalStateException("out of memory");
        };
        try (var runner = InferenceRunner.onOwnThread(failing, "test-inference")) {
            ModelInputBuffer buffer = runner.buffer();
            runner.submit(new InferenceRunner.Job(frames(1), buffer, buffer.pack(List.of(image(2, 1, 1))), 1, 2, false));
            InferenceRunner.Done done = runner.awaitNext().get(0);
            assertEquals("out of memory", done.error().getMessage());
        }
    }

    @Test
    void withTwoRunsTwoBatchesComputeAtOnceAndTheFirstDoneIsCollectedFirst() throws Exception {
        var bothStarted = new CountDownLatch(2);
        var releaseFirst = new CountDownLatch(1);
        var releaseSecond = new CountDownLatch(1);
        InferenceModel twoHeld = (nhwc, n, height, width, releaseMemory) -> {
            int value = nhwc.get(0);
            bothStarted.countDown();
            (value == 1 ? releaseFirst : releaseSecond).await();
            ClassMap[] maps = new ClassMap[n];
            for (int i = 0; i < n; i++) {
                byte[] classes = new byte[width * height];
                java.util.Arrays.fill(classes, (byte) value);
                maps[i] = new ClassMap(width, height, classes);
            }
            return maps;
        };
        try (var runner = InferenceRunner.onOwnThreads(twoHeld, "test-inference", 2)) {
            assertEquals(2, runner.runs());
            ModelInputBuffer first = runner.buffer();
            runner.submit(new InferenceRunner.Job(frames(1), first, first.pack(List.of(image(2, 1, 1))), 1, 2, false));
            ModelInputBuffer second = runner.buffer();
            runner.submit(new InferenceRunner.Job(frames(3), second, second.pack(List.of(image(2, 1, 2), image(2, 1, 2), image(2, 1, 2))),
                    1, 2, false));
            assertTrue(bothStarted.await(60, java.util.concurrent.TimeUnit.SECONDS), "both batches compute at once");
            assertEquals(2, runner.inFlight());
            assertEquals(8, runner.pixelsInFlight(), "four frames of 2x1 in flight");
            releaseSecond.countDown();
            List<InferenceRunner.Done> done = runner.awaitNext();
            assertEquals(1, done.size());
            assertEquals(2, done.get(0).masks()[0].classes()[0], "the batch that finished first comes first");
            assertEquals(2, runner.pixelsInFlight());
            releaseFirst.countDown();
            assertEquals(1, runner.awaitNext().get(0).masks()[0].classes()[0]);
            assertEquals(0, runner.inFlight());
            assertEquals(0, runner.pixelsInFlight());
        }
    }

    @Test
    void aBatchIsRunAloneOnlyWhenNoOtherIsInTheModel() throws Exception {
        var firstStarted = new CountDownLatch(1);
        var releaseFirst = new CountDownLatch(1);
        var alone = new java.util.concurrent.ConcurrentHashMap<Integer, Boolean>();
        InferenceModel recording = new InferenceModel() {
            @Override
            public ClassMap[] segment(java.nio.ByteBuffer nhwc, int n, int height, int width, boolean releaseMemory) {
                throw new AssertionError("the runner says whether the batch runs alone");
            }

            @Override
            public ClassMap[] segment(java.nio.ByteBuffer nhwc, int n, int height, int width, boolean releaseMemory, boolean runsAlone)
                    throws InterruptedException {
                int value = nhwc.get(0);
                alone.put(value, runsAlone);
                if (value == 1) {
                    firstStarted.countDown();
                    releaseFirst.await();
                }
                return new ClassMap[] {new ClassMap(width, height, new byte[width * height])};
            }
        };
        try (var runner = InferenceRunner.onOwnThreads(recording, "test-inference", 2)) {
            ModelInputBuffer first = runner.buffer();
            runner.submit(new InferenceRunner.Job(frames(1), first, first.pack(List.of(image(2, 1, 1))), 1, 2, false));
            firstStarted.await();
            ModelInputBuffer second = runner.buffer();
            runner.submit(new InferenceRunner.Job(frames(1), second, second.pack(List.of(image(2, 1, 2))), 1, 2, false));
            assertEquals(1, runner.awaitNext().size(), "the second batch finishes while the first is held");
            releaseFirst.countDown();
            runner.awaitNext();
            ModelInputBuffer third = runner.buffer();
            runner.submit(new InferenceRunner.Job(frames(1), third, third.pack(List.of(image(2, 1, 3))), 1, 2, false));
            runner.awaitNext();
            assertEquals(java.util.Map.of(1, true, 2, false, 3, true), alone);
        }
    }

    /** The batch's frames: only their count matters here (the runner never touches them). */
    private static List<PendingFrame> frames(int n) {
        return java.util.Collections.nCopies(n, PendingFrame.end(null, null, null));
    }

    private static BgrImage image(int width, int height, int value) {
        byte[] pixels = new byte[width * height * 3];
        java.util.Arrays.fill(pixels, (byte) value);
        return new BgrImage(width, height, pixels);
    }
}
