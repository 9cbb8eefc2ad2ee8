package org.segstream.segmenter;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.SourceKind;
import org.segstream.segmenter.model.SegmentationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects frames from all the tasks of one stream thread into inference batches: a batch runs when
 * it holds {@code batchSize} frames of one size, or when its oldest frame has waited
 * {@code maxWaitMillis}, or at once when the segmenter is caught up (the newest frame was sent less than
 * a frame interval ago, so no other is buffered behind it) and the frames' own rate says the batch cannot
 * fill within the wait: a camera at 25 fps never fills a batch of 4 in 50 ms, so waiting would only add
 * latency. Under a backlog frames are older than their spacing, and batches fill as before. Live
 * frames older than {@code maxFrameAgeMillis} by then are shed instead. Times are the stream thread's
 * clock (so tests can drive it) against the records' timestamps. Confined to its stream thread, so it
 * needs no locks.
 *
 * <p>Memory is bounded by pixels: a batch holds at most {@link InputLimits#maxBatchPixels()} (fewer
 * frames than {@code batchSize} when they are large), and the decoded frames waiting in all queues
 * together no more than that either; past it the oldest queue runs at once, so streams of many sizes
 * cannot pile up decoded frames. After an unusually large batch the model gives its memory back
 * ({@link LargeBatches}).
 */
final class FrameBatcher {
    private static final Logger log = LoggerFactory.getLogger(FrameBatcher.class);

    private record Size(int width, int height) {
    }

    private final SegmentationModel model;
    private final int batchSize;
    private final long maxBatchPixels;
    private final long maxWaitMillis;
    private final long maxFrameAgeMillis;
    private final InputSizing sizing;
    private final SegmenterStats stats;
    private final Map<Size, ArrayDeque<PendingFrame>> waiting = new LinkedHashMap<>();
    private final ModelInputBuffer input = new ModelInputBuffer();
    private final ArrivalRate arrivals;
    private final LargeBatches largeBatches = new LargeBatches(60_000);

    /**
     * {@code limits}: the pixels of one batch (a batch of large frames is cut shorter than {@code batchSize}),
     * and how many streams' arrival rates are kept, for how long.
     */
    FrameBatcher(SegmentationModel model, int batchSize, long maxWaitMillis, long maxFrameAgeMillis, InputSizing sizing,
                 InputLimits limits, SegmenterStats stats) {
        this.maxFrameAgeMillis = maxFrameAgeMillis;
        this.sizing = sizing;
        this.model = model;
        this.batchSize = batchSize;
        this.maxBatchPixels = limits.maxBatchPixels();
        this.maxWaitMillis = maxWaitMillis;
        this.stats = stats;
        this.arrivals = new ArrivalRate(Math.max(1000, 4 * maxWaitMillis), limits.streamIdleMs(), limits.maxStreams());
    }

    void add(PendingFrame frame, long nowMillis) {
        frame.queuedAtMillis = nowMillis;
        frame.modelInput = sizing.toModel(frame.image);
        frame.image = null; // only the model's input waits: the memory bound counts its pixels
        var size = new Size(frame.modelInput.width(), frame.modelInput.height());
        arrivals.record(frame.identity.stream(), size, frame.record.timestamp(), frame.identity.fps(), nowMillis);
        waiting.computeIfAbsent(size, s -> new ArrayDeque<>()).add(frame);
    }

    /** Frames of {@code size} in one batch: {@code batchSize}, fewer where they would be over the batch's pixels, at least 1. */
    private int capacity(Size size) {
        long pixels = (long) size.width() * size.height();
        return (int) Math.max(1, Math.min(batchSize, maxBatchPixels / pixels));
    }

    /** Runs every full batch, then the oldest partial ones while the frames waiting are over the batch's pixels. */
    void runFull(long nowMillis) {
        for (Map.Entry<Size, ArrayDeque<PendingFrame>> entry : waiting.entrySet()) {
            ArrayDeque<PendingFrame> queue = entry.getValue();
            int capacity = capacity(entry.getKey());
            while (queue.size() >= capacity) {
                run(take(queue, capacity), nowMillis);
            }
        }
        while (waitingPixels() > maxBatchPixels) {
            Map.Entry<Size, ArrayDeque<PendingFrame>> oldest = null;
            for (Map.Entry<Size, ArrayDeque<PendingFrame>> entry : waiting.entrySet()) {
                if (!entry.getValue().isEmpty() && (oldest == null
                        || entry.getValue().peekFirst().queuedAtMillis < oldest.getValue().peekFirst().queuedAtMillis)) {
                    oldest = entry;
                }
            }
            ArrayDeque<PendingFrame> queue = oldest.getValue();
            run(take(queue, Math.min(capacity(oldest.getKey()), queue.size())), nowMillis);
        }
    }

    private long waitingPixels() {
        long pixels = 0;
        for (Map.Entry<Size, ArrayDeque<PendingFrame>> entry : waiting.entrySet()) {
            pixels += (long) entry.getKey().width() * entry.getKey().height() * entry.getValue().size();
        }
        return pixels;
    }

    /** Runs every full batch, and any partial batch that cannot fill before its wait is over. */
    void runReady(long nowMillis) {
        runFull(nowMillis);
        for (Map.Entry<Size, ArrayDeque<PendingFrame>> entry : waiting.entrySet()) {
            ArrayDeque<PendingFrame> queue = entry.getValue();
            if (queue.isEmpty()) {
                continue;
            }
            // Caught up: the newest frame is younger than the gap to the next one, so none is buffered behind it.
            long newestAge = nowMillis - queue.peekLast().record.timestamp();
            double gap = arrivals.millisUntil(entry.getKey(), 1, nowMillis);
            boolean caughtUp = newestAge < gap;
            double fillsIn = gap * (capacity(entry.getKey()) - queue.size()) - newestAge;
            long waitLeft = maxWaitMillis - (nowMillis - queue.peekFirst().queuedAtMillis);
            if (caughtUp && fillsIn > waitLeft) {
                run(take(queue, queue.size()), nowMillis);
            }
        }
        waiting.values().removeIf(ArrayDeque::isEmpty);
    }

    /** Runs full batches, then any partial batch whose oldest frame has waited long enough. */
    void runDue(long nowMillis) {
        runFull(nowMillis);
        for (Map.Entry<Size, ArrayDeque<PendingFrame>> entry : waiting.entrySet()) {
            ArrayDeque<PendingFrame> queue = entry.getValue();
            if (!queue.isEmpty() && nowMillis - queue.peekFirst().queuedAtMillis >= maxWaitMillis) {
                int capacity = capacity(entry.getKey());
                while (!queue.isEmpty()) {
                    run(take(queue, Math.min(capacity, queue.size())), nowMillis);
                }
            }
        }
        waiting.values().removeIf(ArrayDeque::isEmpty);
    }

    /** Forgets the frames of a task that is closing (they stay in its store for whoever gets the task next). */
    void removeAll(Object owner) {
        for (ArrayDeque<PendingFrame> queue : waiting.values()) {
            queue.removeIf(frame -> frame.owner == owner);
        }
        waiting.values().removeIf(ArrayDeque::isEmpty);
    }

    int waitingFrames() {
        int n = 0;
        for (ArrayDeque<PendingFrame> queue : waiting.values()) {
            n += queue.size();
        }
        return n;
    }

    private static List<PendingFrame> take(ArrayDeque<PendingFrame> queue, int n) {
        List<PendingFrame> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(queue.pollFirst());
        }
        return batch;
    }

    /** Sheds live frames that are already too old to be worth segmenting, then runs the rest. */
    private void run(List<PendingFrame> formed, long nowMillis) {
        List<PendingFrame> batch = new ArrayList<>(formed.size());
        for (PendingFrame frame : formed) {
            if (frame.identity.sourceKind() == SourceKind.LIVE && nowMillis - frame.identity.latencyOriginMs() > maxFrameAgeMillis) {
                frame.dropped = "stale";
            } else {
                batch.add(frame);
                stats.batchWait(nowMillis - frame.queuedAtMillis);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        int width = batch.get(0).modelInput.width();
        int height = batch.get(0).modelInput.height();
        List<BgrImage> images = new ArrayList<>(batch.size());
        for (PendingFrame frame : batch) {
            images.add(frame.modelInput);
        }
        long start = System.nanoTime();
        try {
            ByteBuffer nhwc = input.pack(images);
            boolean release = largeBatches.release((long) width * height * batch.size(), nowMillis);
            ClassMap[] masks = model.segment(nhwc, batch.size(), height, width, release);
            stats.batch(batch.size(), System.nanoTime() - start);
            Iterator<PendingFrame> frames = batch.iterator();
            for (ClassMap mask : masks) {
                PendingFrame frame = frames.next();
                frame.result = InputSizing.toFrame(mask, frame.identity.width(), frame.identity.height());
                frame.modelInput = null;
            }
        } catch (Exception e) {
            // The batch's frames get dead letters; the batcher goes on with the next batch.
            log.error("inference failed for a batch of {} frames of {}x{}: {}", batch.size(), width, height, e.toString());
            for (PendingFrame frame : batch) {
                frame.fail("inference failed: " + e, "inference");
                frame.modelInput = null;
            }
        }
    }
}
