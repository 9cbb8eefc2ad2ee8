package org.segstream.segmenter;

import java.util.Map;

/**
 * When a batch runs: when the frames of one size fill it, when its oldest frame has waited {@code maxWaitMillis},
 * when a live frame's deadline is near, or at once when the segmenter is caught up (the newest frame was sent less
 * than a frame interval ago) and the frames' rate says the batch cannot fill within the wait. Also while the frames
 * waiting are over {@link InputLimits#maxBatchPixels()} (counted as decoded pixels): the read-ahead bound, past
 * which the stream thread segments before it reads more.
 */
final class BatchReadiness {
    private final int batchSize;
    private final int batchWhileLive;
    private final long maxBatchPixels;
    private final long maxWaitMillis;
    private final InferenceTimes times;
    private final ArrivalRate arrivals;

    /** {@code batchWhileLive}: the most frames of a batch while cameras run (at most {@code batchSize}). */
    BatchReadiness(int batchSize, int batchWhileLive, long maxBatchPixels, long maxWaitMillis, InferenceTimes times, ArrivalRate arrivals) {
        this.batchSize = batchSize;
        this.batchWhileLive = Math.min(batchSize, batchWhileLive);
        this.maxBatchPixels = maxBatchPixels;
        this.maxWaitMillis = maxWaitMillis;
        this.times = times;
        this.arrivals = arrivals;
    }

    /**
     * Frames of {@code size} in one batch: {@code batchSize} ({@code batchWhileLive} while cameras run), fewer where
     * they would be over the batch's pixels, at least 1.
     */
    int capacity(FrameSize size, boolean camerasActive) {
        int places = camerasActive ? batchWhileLive : batchSize;
        return (int) Math.max(1, Math.min(places, maxBatchPixels / size.pixels()));
    }

    /** Whether the frames waiting are over the read-ahead bound. */
    boolean overReadAhead(WaitingFrames waiting) {
        return waiting.pixels() > maxBatchPixels;
    }

    /** Whether some batch should run now; {@code tick}: asked from the wall-clock tick, which also runs batches that waited their time. */
    boolean anyReady(WaitingFrames waiting, long nowMillis, boolean tick) {
        Map<FrameSize, WaitingFrames.SizeSummary> sizes = waiting.bySize();
        if (sizes.isEmpty()) {
            return false;
        }
        if (overReadAhead(waiting)) {
            return true;
        }
        boolean liveBehind = waiting.liveBehind(nowMillis);
        boolean camerasActive = waiting.camerasActive(nowMillis);
        for (Map.Entry<FrameSize, WaitingFrames.SizeSummary> entry : sizes.entrySet()) {
            WaitingFrames.SizeSummary s = entry.getValue();
            int capacity = capacity(entry.getKey(), camerasActive);
            // A full batch waits while newer live frames are still to be read: once they are, the oldest may be shed.
            // While cameras run, a full batch of file frames alone waits for the tick: process() stays cheap, so Kafka
            // Streams goes on to the cameras' partitions instead of segmenting a file backlog record by record.
            boolean full = s.count >= capacity && !(liveBehind && s.live > 0) && (s.live > 0 || tick || !camerasActive);
            if (full || (tick && nowMillis - s.oldestQueuedAt >= maxWaitMillis)) {
                return true;
            }
            // A live frame whose slack is about what its batch takes runs now rather than wait for company.
            if (s.earliestDeadline - nowMillis <= 2 * times.millis(capacity, entry.getKey().pixels()) || caughtUp(entry.getKey(), s, capacity, nowMillis)) {
                return true;
            }
        }
        return false;
    }

    /** Caught up: the newest frame is younger than the gap to the next one (none is buffered behind it) and the batch cannot fill in the wait left. */
    private boolean caughtUp(FrameSize size, WaitingFrames.SizeSummary s, int capacity, long nowMillis) {
        long newestAge = nowMillis - s.newestTimestamp;
        double gap = arrivals.millisUntil(size, 1, nowMillis);
        double fillsIn = gap * (capacity - s.count) - newestAge;
        long waitLeft = maxWaitMillis - (nowMillis - s.oldestQueuedAt);
        return newestAge < gap && fillsIn > waitLeft;
    }
}
