package org.segstream.segmenter;

import java.util.List;
import java.util.function.LongSupplier;
import org.segstream.segmenter.model.InferenceModel;

/**
 * The scheduler of one stream thread: collects the frames of all its tasks ({@link WaitingFrames}) and runs
 * their batches through the model ({@link BatchInference}) when {@link BatchReadiness} says one is due, after
 * {@link LiveShedding} has shed the live frames that cannot make their deadline. Confined to its stream thread,
 * so it needs no locks; times are the stream thread's clock (so tests can drive it) against the frames' own.
 *
 * <p><b>Live first.</b> Live frames have a deadline (their capture or ingest time plus
 * {@code maxFrameAgeMillis}), file frames none. A batch is formed for the size of the most urgent live
 * frame, taking live frames round-robin across streams (one a stream a round, the stream served longest
 * ago first, so a faster camera cannot starve the others), and its free places go to file frames of the
 * same size in the order they came. File frames wait in memory while live ones are served, and are never
 * shed. With {@code liveFirst} off every frame queues in arrival order, as files do.
 *
 * <p><b>Shed early, keep the newest.</b> The time a batch takes is measured per batch size
 * ({@link InferenceTimes}); shedding judges by it, at once when a live frame is added and before every batch.
 */
final class FrameBatcher {
    /** The JPEGs that may wait while cameras run, past the read-ahead bound (which counts decoded pixels). */
    static final long READ_AHEAD_BYTES_WHILE_LIVE = 64L << 20;
    private final boolean liveFirst;
    private final long maxFrameAgeMillis;
    private final InputSizing sizing;
    private final WaitingFrames waiting = new WaitingFrames();
    private final ArrivalRate arrivals;
    private final BatchReadiness readiness;
    private final LiveShedding shedding;
    private final BatchInference inference;
    private final InferenceTimes times = new InferenceTimes();
    private final long maxBatchPixels;
    private final int runs;

    FrameBatcher(InferenceModel model, int batchSize, long maxWaitMillis, long maxFrameAgeMillis, InputSizing sizing,
                 InputLimits limits, SegmenterStats stats) {
        this(model, batchSize, maxWaitMillis, maxFrameAgeMillis, true, sizing, limits, stats, System::nanoTime);
    }

    /** Inference inline, timed by {@code nanoClock}: tests pass the clock their model of known speed advances. */
    FrameBatcher(InferenceModel model, int batchSize, long maxWaitMillis, long maxFrameAgeMillis, boolean liveFirst,
                 InputSizing sizing, InputLimits limits, SegmenterStats stats, LongSupplier nanoClock) {
        this(InferenceRunner.inline(model, nanoClock), batchSize, maxWaitMillis, maxFrameAgeMillis, liveFirst, sizing, limits, stats);
    }

    /**
     * {@code limits}: the pixels of one batch (a batch of large frames is cut shorter than {@code batchSize}) and of
     * the frames waiting, the largest frame, how many streams' arrival rates are kept, for how long.
     */
    FrameBatcher(InferenceRunner runner, int batchSize, long maxWaitMillis, long maxFrameAgeMillis, boolean liveFirst,
                 InputSizing sizing, InputLimits limits, SegmenterStats stats) {
        this(runner, new SegmenterConfig.Batching(batchSize, maxWaitMillis, maxFrameAgeMillis, liveFirst), sizing, limits, stats);
    }

    /** As above, with every batching setting, the batch while cameras run among them. */
    FrameBatcher(InferenceRunner runner, SegmenterConfig.Batching batching, InputSizing sizing, InputLimits limits, SegmenterStats stats) {
        int batchSize = batching.batchSize();
        long maxWaitMillis = batching.batchMaxWaitMs();
        long maxFrameAgeMillis = batching.maxFrameAgeMs();
        this.liveFirst = batching.liveFirst();
        this.maxFrameAgeMillis = maxFrameAgeMillis;
        this.sizing = sizing;
        this.maxBatchPixels = limits.maxBatchPixels();
        // Where a batch costs as much per frame as its frames one by one (the CPU), batches hold one frame while cameras
        // run (unless set): a live frame then waits for one frame's inference at most, not for a file's whole batch, at no
        // cost in fps.
        int batchWhileLive = batching.liveBatchSize() != SegmenterConfig.Batching.AUTO_LIVE_BATCH ? batching.liveBatchSize()
                : runner.batchingPaysOff() ? batchSize : 1;
        this.arrivals = new ArrivalRate(Math.max(1000, 4 * maxWaitMillis), limits.streamIdleMs(), limits.maxStreams());
        this.readiness = new BatchReadiness(batchSize, batchWhileLive, limits.maxBatchPixels(), maxWaitMillis, times, arrivals);
        this.shedding = new LiveShedding(batchWhileLive, runner.runs(), maxFrameAgeMillis, times);
        this.runs = runner.runs();
        this.inference = new BatchInference(runner, sizing, limits.maxFramePixels(), times, stats);
    }

    void add(PendingFrame frame, long nowMillis) {
        frame.queuedAtMillis = nowMillis;
        frame.modelWidth = sizing.isNative() ? frame.identity.width() : sizing.width();
        frame.modelHeight = sizing.isNative() ? frame.identity.height() : sizing.height();
        frame.deadlineMillis = frame.identity.latencyOriginMs() + maxFrameAgeMillis;
        arrivals.record(frame.identity.stream(), FrameSize.of(frame), frame.record.timestamp(), frame.identity.fps(), nowMillis);
        if (liveFirst && frame.isLive()) {
            waiting.addLive(frame, nowMillis);
            shedding.shed(waiting, nowMillis); // at once: a frame that cannot make it is not kept waiting for its batch
        } else {
            waiting.addInOrder(frame);
        }
    }

    /** Runs whatever batches are due now (see {@link BatchReadiness}); called after each record the thread takes. */
    void runReady(long nowMillis) {
        schedule(nowMillis, false);
    }

    /** As {@link #runReady}: called from the tasks' wall-clock tick, when partial batches may have waited long enough. */
    void runDue(long nowMillis) {
        schedule(nowMillis, true);
    }

    /** {@code tick}: the wall-clock tick, which also runs partial batches that have waited their time. */
    private void schedule(long nowMillis, boolean tick) {
        inference.applyFinished();
        while (true) {
            shedding.shed(waiting, nowMillis);
            if (inference.inFlight() >= inFlightLimit(nowMillis) || !roomForNextBatch(nowMillis)) {
                if (!mustAwaitBatch(nowMillis)) {
                    return; // back to Kafka Streams: the next records are read while the model computes
                }
                nowMillis += inference.awaitBatch(); // the read-ahead bound: no more records until a batch is done
                continue;
            }
            if (runKeptForCameras(nowMillis) || !readiness.anyReady(waiting, nowMillis, tick)) {
                return;
            }
            List<PendingFrame> batch = waiting.takeBatch(readiness, waiting.camerasActive(nowMillis));
            boolean withLive = batch.stream().anyMatch(f -> liveFirst && f.isLive());
            // Inline, the thread's clock stood still while the batch ran: what comes next is judged as of its end.
            nowMillis += inference.submit(batch, nowMillis);
            if (inference.inline() && !withLive && waiting.camerasActive(nowMillis)) {
                // One file batch at a time while cameras run: back to Kafka Streams, which may hold their next frames
                // (on other partitions) and hands them over only when this returns.
                return;
            }
        }
    }

    /**
     * Whether the thread must wait for the batch in flight before it reads more: past the read-ahead bound. While
     * cameras run, a file backlog alone does not stop the reading (the cameras' next frames come in the same polls
     * and would age in the consumer), up to {@link #READ_AHEAD_BYTES_WHILE_LIVE} of waiting JPEGs.
     */
    private boolean mustAwaitBatch(long nowMillis) {
        if (!readiness.overReadAhead(waiting)) {
            return false;
        }
        return !(liveFirst && waiting.camerasActive(nowMillis) && waiting.jpegBytes() <= READ_AHEAD_BYTES_WHILE_LIVE);
    }

    /**
     * While cameras run, file frames keep off one of the runs at once when a camera's next frame is due before the
     * file's next batch would be done: batches without a live frame then take at most all runs but one, so the camera's
     * frame does not wait for file frames' inference (on one thread on the CPU, longer than the camera's own) on every
     * run. Next to a slow camera, whose next frame is far off, file frames take every run.
     */
    private boolean runKeptForCameras(long nowMillis) {
        if (!liveFirst || runs < 2 || inference.fileBatchesInFlight() < runs - 1 || waiting.count() == 0 || waiting.anyLive()) {
            return false;
        }
        FrameSize next = waiting.nextBatchSize();
        double fileBatchMs = times.millis(readiness.capacity(next, true), next.pixels());
        return waiting.liveFrameDueWithin(nowMillis, fileBatchMs);
    }

    /**
     * Batches handed to the model at once: as many as it runs at once while cameras run (a live frame then waits
     * for the first of them to finish at most), one more otherwise, so the next batch is decoded and packed while the
     * model computes and it starts the moment a run is free.
     */
    private int inFlightLimit(long nowMillis) {
        return liveFirst && waiting.camerasActive(nowMillis) ? runs : runs + 1;
    }

    /**
     * Whether the next batch fits beside the batches in flight within the batch pixel bound, which bounds inference
     * memory (ONNX Runtime holds each run's activations at once): a 4K frame runs alone, as with one run at a time.
     */
    private boolean roomForNextBatch(long nowMillis) {
        if (inference.inFlight() == 0 || waiting.count() == 0) {
            return true;
        }
        FrameSize next = waiting.nextBatchSize();
        long pixels = next.pixels() * readiness.capacity(next, waiting.camerasActive(nowMillis));
        return inference.pixelsInFlight() + pixels <= maxBatchPixels;
    }

    /** Forgets the frames of a task that is closing (they stay in its store for whoever gets the task next). */
    void removeAll(Object owner) {
        waiting.removeAll(owner);
    }

    /** No frame waits and no batch is in flight: the thread has caught up with its input. */
    boolean idle() {
        return inference.inFlight() == 0 && waiting.count() == 0;
    }

    int waitingFrames() {
        return waiting.count();
    }
}
