package org.segstream.segmenter;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.segstream.contract.BadRecordException;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.SourceKind;
import org.segstream.segmenter.model.InferenceModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler of one stream thread: collects the frames of all its tasks and decides which of them
 * form the next inference batch, and which live frames are shed. Confined to its stream thread, so it
 * needs no locks; times are the stream thread's clock (so tests can drive it) against the frames' own.
 *
 * <p><b>Live first.</b> Live frames have a deadline (their capture or ingest time plus
 * {@code maxFrameAgeMillis}), file frames none. A batch is formed for the size of the most urgent live
 * frame, taking live frames round-robin across streams (one a stream a round, the stream served longest
 * ago first, so a faster camera cannot starve the others), and its free places go to file frames of the
 * same size in the order they came. File frames wait in memory while live ones are served, and are never
 * shed. With {@code liveFirst} off every frame queues in arrival order, as files do.
 *
 * <p><b>When a batch runs:</b> when the frames of one size fill it, when its oldest frame has waited
 * {@code maxWaitMillis}, when a live frame's deadline is near, or at once when the segmenter is caught
 * up (the newest frame was sent less than a frame interval ago) and the frames' rate says the batch
 * cannot fill within the wait. Also while the frames waiting are over {@link InputLimits#maxBatchPixels()}
 * (counted as decoded pixels; they wait as JPEG and are decoded only when their batch forms): that is the
 * read-ahead bound, past which the stream thread segments before it reads more.
 *
 * <p><b>Shed early, keep the newest.</b> The time a batch takes is measured per batch size
 * ({@link InferenceTimes}). A live stream's oldest frame is shed at once when it is already past its
 * deadline ("stale"), when it or the stream's newest frame could not be done by its deadline with the
 * frames ahead of it ("deadline"), or when the live cameras together send more than a batch's time can
 * segment and the stream holds more than its fair share of a batch ("overload": the older frame goes, so
 * the ones segmented stay fresh instead of ageing to the deadline). A shed frame is marked
 * ({@link PendingFrame#dropped}) and its task forwards a shed marker in its place.
 */
final class FrameBatcher {
    private static final Logger log = LoggerFactory.getLogger(FrameBatcher.class);
    /** A live stream without a frame for this long (beyond the frame age) no longer counts toward the shares. */
    private static final long LIVE_IDLE_MS = 2_000;

    private record Size(int width, int height) {
        long pixels() {
            return (long) width * height;
        }
    }

    /** A live stream's queue (oldest first) and what its fair share is computed from. */
    private static final class LiveStream {
        final ArrayDeque<PendingFrame> queue = new ArrayDeque<>();
        double fps;
        long lastAddedMs;
    }

    private final InferenceRunner runner;
    private final int batchSize;
    private final long maxBatchPixels;
    private final long maxFramePixels;
    private final long maxWaitMillis;
    private final long maxFrameAgeMillis;
    private final boolean liveFirst;
    private final InputSizing sizing;
    private final SegmenterStats stats;
    /** Live streams in round-robin order: the one served longest ago first (a stream moves to the end when served). */
    private final LinkedHashMap<String, LiveStream> live = new LinkedHashMap<>();
    /** File frames (and live ones with liveFirst off) in the order they came. */
    private final ArrayDeque<PendingFrame> files = new ArrayDeque<>();
    private final InferenceTimes times = new InferenceTimes();
    private final ArrivalRate arrivals;
    private final LargeBatches largeBatches = new LargeBatches(60_000);

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
        this.runner = runner;
        this.batchSize = batchSize;
        this.maxBatchPixels = limits.maxBatchPixels();
        this.maxFramePixels = limits.maxFramePixels();
        this.maxWaitMillis = maxWaitMillis;
        this.maxFrameAgeMillis = maxFrameAgeMillis;
        this.liveFirst = liveFirst;
        this.sizing = sizing;
        this.stats = stats;
        this.arrivals = new ArrivalRate(Math.max(1000, 4 * maxWaitMillis), limits.streamIdleMs(), limits.maxStreams());
    }

    void add(PendingFrame frame, long nowMillis) {
        frame.queuedAtMillis = nowMillis;
        frame.modelWidth = sizing.isNative() ? frame.identity.width() : sizing.width();
        frame.modelHeight = sizing.isNative() ? frame.identity.height() : sizing.height();
        frame.deadlineMillis = frame.identity.latencyOriginMs() + maxFrameAgeMillis;
        arrivals.record(frame.identity.stream(), sizeOf(frame), frame.record.timestamp(), frame.identity.fps(), nowMillis);
        if (liveFirst && isLive(frame)) {
            LiveStream stream = live.computeIfAbsent(frame.identity.stream(), s -> new LiveStream());
            stream.queue.addLast(frame);
            stream.fps = frame.identity.fps();
            stream.lastAddedMs = nowMillis;
            shed(nowMillis); // at once: a frame that cannot make it is not kept waiting for its batch
        } else {
            files.addLast(frame);
        }
    }

    private static boolean isLive(PendingFrame frame) {
        return frame.identity.sourceKind() == SourceKind.LIVE;
    }

    private static Size sizeOf(PendingFrame frame) {
        return new Size(frame.modelWidth, frame.modelHeight);
    }

    /** Frames of {@code size} in one batch: {@code batchSize}, fewer where they would be over the batch's pixels, at least 1. */
    private int capacity(Size size) {
        return (int) Math.max(1, Math.min(batchSize, maxBatchPixels / size.pixels()));
    }

    /** Runs whatever batches are due now (see the class comment); called after each record the thread takes. */
    void runReady(long nowMillis) {
        schedule(nowMillis, false);
    }

    /** As {@link #runReady}: called from the tasks' wall-clock tick, when partial batches may have waited long enough. */
    void runDue(long nowMillis) {
        schedule(nowMillis, true);
    }

    /** {@code tick}: the wall-clock tick, which also runs partial batches that have waited their time. */
    private void schedule(long nowMillis, boolean tick) {
        applyAll(runner.collect());
        while (true) {
            shed(nowMillis);
            if (runner.inFlight() >= inFlightLimit(nowMillis)) {
                if (waitingPixels() <= maxBatchPixels) {
                    return; // back to Kafka Streams: the next records are read while the model computes
                }
                nowMillis += awaitBatch(); // the read-ahead bound: no more records until a batch is done
                continue;
            }
            if (!anyReady(nowMillis, tick)) {
                return;
            }
            List<PendingFrame> batch = nextBatch();
            boolean withLive = batch.stream().anyMatch(f -> liveFirst && isLive(f));
            // Inline, the thread's clock stood still while the batch ran: what comes next is judged as of its end.
            nowMillis += submit(batch, nowMillis);
            if (runner.inline() && !withLive && camerasActive(nowMillis)) {
                // One file batch at a time while cameras run: back to Kafka Streams, which may hold their next frames
                // (on other partitions) and hands them over only when this returns.
                return;
            }
        }
    }

    /**
     * Batches handed to the model at once: one while cameras run (a live frame then waits behind one batch at
     * most), two otherwise, so the next batch is decoded and packed while the model computes and it starts the
     * moment the model is free.
     */
    private int inFlightLimit(long nowMillis) {
        return liveFirst && camerasActive(nowMillis) ? 1 : 2;
    }

    /** Waits for the model to finish a batch and applies it; returns the milliseconds waited. */
    private long awaitBatch() {
        long start = System.nanoTime();
        try {
            applyAll(runner.awaitNext());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Kafka Streams is closing the thread; the batch's frames stay in their stores
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private boolean camerasActive(long nowMillis) {
        for (LiveStream stream : live.values()) {
            if (nowMillis - stream.lastAddedMs <= LIVE_IDLE_MS) {
                return true;
            }
        }
        return false;
    }

    /** Whether some batch should run now: full, due, near a deadline, caught up, or the read-ahead bound reached. */
    private boolean anyReady(long nowMillis, boolean tick) {
        Map<Size, SizeSummary> sizes = summarize();
        if (sizes.isEmpty()) {
            return false;
        }
        if (waitingPixels() > maxBatchPixels) {
            return true;
        }
        boolean liveBehind = liveBehind(nowMillis);
        boolean camerasActive = camerasActive(nowMillis);
        for (Map.Entry<Size, SizeSummary> entry : sizes.entrySet()) {
            Size size = entry.getKey();
            SizeSummary s = entry.getValue();
            int capacity = capacity(size);
            // A full batch waits while newer live frames are still to be read: once they are, the oldest may be shed.
            // While cameras run, a full batch of file frames alone waits for the tick: process() stays cheap, so Kafka
            // Streams goes on to the cameras' partitions instead of segmenting a file backlog record by record.
            boolean full = s.count >= capacity && !(liveBehind && s.live > 0) && (s.live > 0 || tick || !camerasActive);
            if (full || (tick && nowMillis - s.oldestQueuedAt >= maxWaitMillis)) {
                return true;
            }
            // A live frame whose slack is about what its batch takes runs now rather than wait for company.
            if (s.earliestDeadline - nowMillis <= 2 * times.millis(capacity)) {
                return true;
            }
            // Caught up: the newest frame is younger than the gap to the next one, so none is buffered behind it.
            long newestAge = nowMillis - s.newestTimestamp;
            double gap = arrivals.millisUntil(size, 1, nowMillis);
            double fillsIn = gap * (capacity - s.count) - newestAge;
            long waitLeft = maxWaitMillis - (nowMillis - s.oldestQueuedAt);
            if (newestAge < gap && fillsIn > waitLeft) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a live stream with frames waiting is behind: its newest frame was sent a frame interval ago or more,
     * so its next is likely read already by Kafka and waiting to be handed over.
     */
    private boolean liveBehind(long nowMillis) {
        for (LiveStream stream : live.values()) {
            PendingFrame newest = stream.queue.peekLast();
            if (newest != null && stream.fps > 0 && nowMillis - newest.record.timestamp() >= 1000 / stream.fps) {
                return true;
            }
        }
        return false;
    }

    private static final class SizeSummary {
        int count;
        int live;
        long oldestQueuedAt = Long.MAX_VALUE;
        long newestTimestamp = Long.MIN_VALUE;
        long earliestDeadline = Long.MAX_VALUE;

        void add(PendingFrame frame, boolean isLive) {
            count++;
            live += isLive ? 1 : 0;
            oldestQueuedAt = Math.min(oldestQueuedAt, frame.queuedAtMillis);
            newestTimestamp = Math.max(newestTimestamp, frame.record.timestamp());
            if (isLive) {
                earliestDeadline = Math.min(earliestDeadline, frame.deadlineMillis);
            }
        }
    }

    private Map<Size, SizeSummary> summarize() {
        Map<Size, SizeSummary> sizes = new LinkedHashMap<>();
        for (LiveStream stream : live.values()) {
            for (PendingFrame frame : stream.queue) {
                sizes.computeIfAbsent(sizeOf(frame), s -> new SizeSummary()).add(frame, true);
            }
        }
        for (PendingFrame frame : files) {
            sizes.computeIfAbsent(sizeOf(frame), s -> new SizeSummary()).add(frame, false);
        }
        return sizes;
    }

    /**
     * The next batch: for the size of the live frame with the earliest deadline (else of the oldest file frame),
     * live frames round-robin across streams, then file frames of that size in their order. Never empty when
     * frames wait.
     */
    private List<PendingFrame> nextBatch() {
        PendingFrame urgent = null;
        for (LiveStream stream : live.values()) {
            PendingFrame head = stream.queue.peekFirst();
            if (head != null && (urgent == null || head.deadlineMillis < urgent.deadlineMillis)) {
                urgent = head;
            }
        }
        if (urgent == null) {
            urgent = files.peekFirst();
        }
        Size size = sizeOf(urgent);
        int capacity = capacity(size);
        List<PendingFrame> batch = new ArrayList<>(capacity);
        List<String> served = new ArrayList<>();
        boolean took = true;
        while (took && batch.size() < capacity) {
            took = false;
            for (Map.Entry<String, LiveStream> entry : live.entrySet()) {
                if (batch.size() >= capacity) {
                    break;
                }
                PendingFrame head = entry.getValue().queue.peekFirst();
                if (head != null && sizeOf(head).equals(size)) {
                    batch.add(entry.getValue().queue.pollFirst());
                    served.add(entry.getKey());
                    took = true;
                }
            }
        }
        for (String stream : served) { // served streams go to the back of the round, the last served last
            live.put(stream, live.remove(stream));
        }
        for (Iterator<PendingFrame> it = files.iterator(); it.hasNext() && batch.size() < capacity; ) {
            PendingFrame frame = it.next();
            if (sizeOf(frame).equals(size)) {
                it.remove();
                batch.add(frame);
            }
        }
        return batch;
    }

    /**
     * Sheds, in each live stream, the oldest frames that cannot be segmented in time or are over the stream's
     * share under overload (see the class comment), and forgets live streams that went quiet.
     */
    private void shed(long nowMillis) {
        live.values().removeIf(s -> s.queue.isEmpty() && nowMillis - s.lastAddedMs > LIVE_IDLE_MS + maxFrameAgeMillis);
        int liveWaiting = 0;
        int streamsWaiting = 0;
        for (LiveStream stream : live.values()) {
            liveWaiting += stream.queue.size();
            streamsWaiting += stream.queue.isEmpty() ? 0 : 1;
        }
        if (liveWaiting == 0) {
            return;
        }
        double fullBatchMs = times.millis(batchSize);
        Map<LiveStream, Integer> caps = overloadCaps(fullBatchMs, nowMillis);
        // Frames of a stream ahead of its newest: it gets about batchSize / streamsWaiting places a batch.
        int perBatch = Math.max(1, batchSize / streamsWaiting);
        double batchMs = times.millis(Math.min(batchSize, liveWaiting));
        for (LiveStream stream : live.values()) {
            ArrayDeque<PendingFrame> queue = stream.queue;
            int cap = caps.getOrDefault(stream, Integer.MAX_VALUE);
            while (!queue.isEmpty()) {
                PendingFrame oldest = queue.peekFirst();
                int n = queue.size();
                long newestDone = nowMillis + (long) Math.ceil((double) n / perBatch * batchMs);
                String reason = null;
                if (nowMillis > oldest.deadlineMillis) {
                    reason = "stale";
                } else if (n > cap) {
                    reason = "overload";
                } else if (nowMillis + batchMs > oldest.deadlineMillis || newestDone > queue.peekLast().deadlineMillis) {
                    reason = "deadline";
                }
                if (reason == null) {
                    break;
                }
                queue.pollFirst().dropped = reason;
            }
        }
    }

    /**
     * Under overload (the live cameras send more frames in a full batch's time than a batch holds), the most
     * frames each live stream may keep: its fair share of a batch's places, filled up from the slowest camera
     * (max-min fairness), rounded up. Empty when the cameras fit, or before a batch has been timed.
     */
    private Map<LiveStream, Integer> overloadCaps(double fullBatchMs, long nowMillis) {
        if (fullBatchMs <= 0) {
            return Map.of();
        }
        List<LiveStream> active = new ArrayList<>();
        double demand = 0;
        for (LiveStream stream : live.values()) {
            if (stream.fps > 0 && nowMillis - stream.lastAddedMs <= LIVE_IDLE_MS) {
                active.add(stream);
                demand += stream.fps * fullBatchMs / 1000;
            }
        }
        if (demand <= batchSize) {
            return Map.of();
        }
        active.sort((a, b) -> Double.compare(a.fps, b.fps));
        Map<LiveStream, Integer> caps = new java.util.HashMap<>();
        double placesLeft = batchSize;
        for (int i = 0; i < active.size(); i++) {
            LiveStream stream = active.get(i);
            double wants = stream.fps * fullBatchMs / 1000;
            double share = Math.min(wants, placesLeft / (active.size() - i));
            placesLeft -= share;
            if (wants > share) {
                caps.put(stream, (int) Math.max(1, Math.ceil(share)));
            }
        }
        return caps;
    }

    /** Forgets the frames of a task that is closing (they stay in its store for whoever gets the task next). */
    void removeAll(Object owner) {
        for (LiveStream stream : live.values()) {
            stream.queue.removeIf(frame -> frame.owner == owner);
        }
        files.removeIf(frame -> frame.owner == owner);
    }

    /** The decoded pixels of the frames waiting (they wait as JPEG): what the read-ahead bound counts. */
    private long waitingPixels() {
        long pixels = 0;
        for (LiveStream stream : live.values()) {
            for (PendingFrame frame : stream.queue) {
                pixels += sizeOf(frame).pixels();
            }
        }
        for (PendingFrame frame : files) {
            pixels += sizeOf(frame).pixels();
        }
        return pixels;
    }

    /** No frame waits and no batch is in flight: the thread has caught up with its input. */
    boolean idle() {
        return runner.inFlight() == 0 && waitingFrames() == 0;
    }

    int waitingFrames() {
        int n = files.size();
        for (LiveStream stream : live.values()) {
            n += stream.queue.size();
        }
        return n;
    }

    /**
     * Sheds live frames already too old to be worth segmenting, decodes and packs the rest and hands them to the
     * model; returns the ms inference took when it ran inline (0 when it runs on its own thread).
     */
    private long submit(List<PendingFrame> formed, long nowMillis) {
        List<PendingFrame> batch = decode(formed, nowMillis);
        if (batch.isEmpty()) {
            return 0;
        }
        int width = batch.get(0).modelInput.width();
        int height = batch.get(0).modelInput.height();
        List<BgrImage> images = new ArrayList<>(batch.size());
        for (PendingFrame frame : batch) {
            images.add(frame.modelInput);
            frame.modelInput = null;
        }
        ModelInputBuffer buffer = runner.buffer();
        ByteBuffer nhwc = buffer.pack(images);
        boolean release = largeBatches.release((long) width * height * batch.size(), nowMillis);
        runner.submit(new InferenceRunner.Job(batch, buffer, nhwc, height, width, release));
        if (!runner.inline()) {
            return 0;
        }
        List<InferenceRunner.Done> done = runner.collect();
        applyAll(done);
        return done.stream().mapToLong(InferenceRunner.Done::nanos).sum() / 1_000_000;
    }

    /** The formed batch's frames decoded at the model's size; a live frame past its deadline is shed instead. */
    private List<PendingFrame> decode(List<PendingFrame> formed, long nowMillis) {
        List<PendingFrame> batch = new ArrayList<>(formed.size());
        for (PendingFrame frame : formed) {
            if (isLive(frame) && nowMillis > frame.deadlineMillis) {
                frame.dropped = "stale";
                continue;
            }
            try {
                BgrImage image = JpegCodec.decode(frame.record.value(), frame.jpeg, maxFramePixels);
                frame.modelInput = sizing.toModel(image);
            } catch (BadRecordException e) {
                frame.fail(e.getMessage(), SegmentProcessor.INVALID);
                continue;
            } catch (RuntimeException e) {
                frame.fail("could not prepare the frame for the model: " + e, SegmentProcessor.ERROR);
                continue;
            }
            batch.add(frame);
            stats.batchWait(nowMillis - frame.queuedAtMillis);
        }
        return batch;
    }

    private void applyAll(List<InferenceRunner.Done> finished) {
        for (InferenceRunner.Done done : finished) {
            apply(done);
        }
    }

    /** A finished batch's masks on its frames (at each frame's own size), or a dead letter for each if it failed. */
    private void apply(InferenceRunner.Done done) {
        List<PendingFrame> batch = done.job().frames();
        if (done.error() != null) {
            // The batch's frames get dead letters; the batcher goes on with the next batch.
            log.error("inference failed for a batch of {} frames of {}x{}: {}", batch.size(), done.job().width(), done.job().height(),
                    done.error().toString());
            for (PendingFrame frame : batch) {
                frame.fail("inference failed: " + done.error(), "inference");
            }
            return;
        }
        stats.batch(batch.size(), done.nanos());
        times.record(batch.size(), done.nanos() / 1e6);
        Iterator<PendingFrame> frames = batch.iterator();
        for (ClassMap mask : done.masks()) {
            PendingFrame frame = frames.next();
            frame.result = InputSizing.toFrame(mask, frame.identity.width(), frame.identity.height());
        }
    }
}
