package org.segstream.segmenter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames one stream thread holds for inference: a queue per live stream (oldest first), kept in
 * round-robin order (the stream served longest ago first), and file frames (and live ones with live-first off)
 * in the order they came. Forms each batch from them ({@link #takeBatch}). Confined to the stream thread.
 */
final class WaitingFrames {
    /** A live stream without a frame for this long (beyond the frame age) no longer counts toward the shares. */
    static final long LIVE_IDLE_MS = 2_000;

    /** A live stream's queue (oldest first) and what its fair share is computed from. */
    static final class LiveStream {
        final ArrayDeque<PendingFrame> queue = new ArrayDeque<>();
        double fps;
        /** The pixels of the stream's newest frame, at the model's size: what its inference time is predicted from. */
        long pixels;
        long lastAddedMs;

        boolean active(long nowMillis) {
            return nowMillis - lastAddedMs <= LIVE_IDLE_MS;
        }
    }

    /** What the frames of one size add up to: what decides whether their batch runs now. */
    static final class SizeSummary {
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

    private final LinkedHashMap<String, LiveStream> live = new LinkedHashMap<>();
    private final ArrayDeque<PendingFrame> files = new ArrayDeque<>();

    void addLive(PendingFrame frame, long nowMillis) {
        LiveStream stream = live.computeIfAbsent(frame.identity.stream(), s -> new LiveStream());
        stream.queue.addLast(frame);
        stream.fps = frame.identity.fps();
        stream.pixels = FrameSize.of(frame).pixels();
        stream.lastAddedMs = nowMillis;
    }

    void addInOrder(PendingFrame frame) {
        files.addLast(frame);
    }

    /** The live streams in round-robin order. */
    Iterable<LiveStream> liveStreams() {
        return live.values();
    }

    /** Forgets live streams with nothing waiting that have been quiet for {@code quietMillis}. */
    void forgetQuietStreams(long nowMillis, long quietMillis) {
        live.values().removeIf(s -> s.queue.isEmpty() && nowMillis - s.lastAddedMs > quietMillis);
    }

    /** Forgets the frames of a task that is closing. */
    void removeAll(Object owner) {
        for (LiveStream stream : live.values()) {
            stream.queue.removeIf(frame -> frame.owner == owner);
        }
        files.removeIf(frame -> frame.owner == owner);
    }

    int count() {
        int n = files.size();
        for (LiveStream stream : live.values()) {
            n += stream.queue.size();
        }
        return n;
    }

    /** The decoded pixels of the frames waiting (they wait as JPEG): what the read-ahead bound counts. */
    long pixels() {
        return sum(frame -> FrameSize.of(frame).pixels());
    }

    /** The bytes of the JPEGs waiting: what they hold in memory until their batch decodes them. */
    long jpegBytes() {
        return sum(frame -> frame.record.value() == null ? 0 : frame.record.value().length);
    }

    /** Whether a live frame waits. */
    boolean anyLive() {
        for (LiveStream stream : live.values()) {
            if (!stream.queue.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Whether an active live stream's next frame is due within {@code millis} (or overdue), going by its frame rate. */
    boolean liveFrameDueWithin(long nowMillis, double millis) {
        for (LiveStream stream : live.values()) {
            if (stream.active(nowMillis) && stream.fps > 0 && stream.lastAddedMs + 1000 / stream.fps <= nowMillis + millis) {
                return true;
            }
        }
        return false;
    }

    /** Whether a live stream sent a frame within {@link #LIVE_IDLE_MS}. */
    boolean camerasActive(long nowMillis) {
        for (LiveStream stream : live.values()) {
            if (stream.active(nowMillis)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a live stream with frames waiting is behind: its newest frame was sent a frame interval ago or more,
     * so its next is likely read already by Kafka and waiting to be handed over.
     */
    boolean liveBehind(long nowMillis) {
        for (LiveStream stream : live.values()) {
            PendingFrame newest = stream.queue.peekLast();
            if (newest != null && stream.fps > 0 && nowMillis - newest.record.timestamp() >= 1000 / stream.fps) {
                return true;
            }
        }
        return false;
    }

    /** The frames waiting, summed up by size (live frames first, then files). */
    Map<FrameSize, SizeSummary> bySize() {
        Map<FrameSize, SizeSummary> sizes = new LinkedHashMap<>();
        for (LiveStream stream : live.values()) {
            for (PendingFrame frame : stream.queue) {
                sizes.computeIfAbsent(FrameSize.of(frame), s -> new SizeSummary()).add(frame, true);
            }
        }
        for (PendingFrame frame : files) {
            sizes.computeIfAbsent(FrameSize.of(frame), s -> new SizeSummary()).add(frame, false);
        }
        return sizes;
    }

    /**
     * Takes the next batch: for the size of the live frame with the earliest deadline (else of the oldest file frame),
     * live frames round-robin across streams (one a stream a round), then file frames of that size in their order.
     * Never empty when frames wait.
     */
    List<PendingFrame> takeBatch(BatchReadiness capacity, boolean camerasActive) {
        FrameSize size = nextBatchSize();
        List<PendingFrame> batch = new ArrayList<>();
        int places = capacity.capacity(size, camerasActive);
        takeLiveRoundRobin(batch, size, places);
        for (Iterator<PendingFrame> it = files.iterator(); it.hasNext() && batch.size() < places; ) {
            PendingFrame frame = it.next();
            if (FrameSize.of(frame).equals(size)) {
                it.remove();
                batch.add(frame);
            }
        }
        return batch;
    }

    /** The frame size of the next batch {@link #takeBatch} forms; only when frames wait. */
    FrameSize nextBatchSize() {
        return FrameSize.of(mostUrgent());
    }

    private PendingFrame mostUrgent() {
        PendingFrame urgent = null;
        for (LiveStream stream : live.values()) {
            PendingFrame head = stream.queue.peekFirst();
            if (head != null && (urgent == null || head.deadlineMillis < urgent.deadlineMillis)) {
                urgent = head;
            }
        }
        return urgent != null ? urgent : files.peekFirst();
    }

    /** Live frames of {@code size}, one a stream a round; served streams go to the back of the round, the last served last. */
    private void takeLiveRoundRobin(List<PendingFrame> batch, FrameSize size, int places) {
        List<String> served = new ArrayList<>();
        boolean took = true;
        while (took && batch.size() < places) {
            took = false;
            for (Map.Entry<String, LiveStream> entry : live.entrySet()) {
                PendingFrame head = entry.getValue().queue.peekFirst();
                if (batch.size() < places && head != null && FrameSize.of(head).equals(size)) {
                    batch.add(entry.getValue().queue.pollFirst());
                    served.add(entry.getKey());
                    took = true;
                }
            }
        }
        for (String stream : served) {
            live.put(stream, live.remove(stream));
        }
    }

    /** {@code measure} summed over every frame waiting, without copying the queues (asked once per record handed over). */
    private long sum(java.util.function.ToLongFunction<PendingFrame> measure) {
        long total = 0;
        for (PendingFrame frame : files) {
            total += measure.applyAsLong(frame);
        }
        for (LiveStream stream : live.values()) {
            for (PendingFrame frame : stream.queue) {
                total += measure.applyAsLong(frame);
            }
        }
        return total;
    }
}
