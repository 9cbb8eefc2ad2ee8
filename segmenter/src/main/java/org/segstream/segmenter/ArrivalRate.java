package org.segstream.segmenter;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How fast frames of one model input size come in, from their records' timestamps (when ingest sent
 * them), so the batcher can tell whether a partial batch could still fill within its wait. Producer
 * timestamps, not arrival at the segmenter: while the stream thread is busy with inference, buffered
 * records reach it back to back whatever the cameras' rate. The observed interval is capped by the
 * stream's declared one ({@code segstream.fps}): a stream that pauses and resumes (a reconnect, a
 * restart, a burst after a stall) does not pass for a slow camera, which would run batches half empty.
 * Bounded: a stream not heard from for the stream idle time (by the segmenter's clock: its records'
 * timestamps are the producer's word) is forgotten, and so is the least recent one past the stream cap.
 */
final class ArrivalRate {
    /** Weight of the newest interval in the smoothed one. */
    private static final double SMOOTHING = 0.25;

    private static final class Stream {
        Object size;
        long lastTimestampMs;
        double intervalMs = -1; // observed, smoothed; unknown until the second frame
        double declaredIntervalMs = Double.MAX_VALUE;
        long seenAtMs; // the segmenter's clock
    }

    /** Least recently heard from first (a stream is re-inserted on each of its frames). */
    private final LinkedHashMap<String, Stream> streams = new LinkedHashMap<>();
    private final long forgetAfterMs;
    private final long idleMs;
    private final int maxStreams;

    /**
     * Streams silent for {@code forgetAfterMs} (by their own timestamps) no longer count; after {@code idleMs}
     * (by the segmenter's clock) they are forgotten, as is the least recent one beyond {@code maxStreams}.
     */
    ArrivalRate(long forgetAfterMs, long idleMs, int maxStreams) {
        this.forgetAfterMs = forgetAfterMs;
        this.idleMs = idleMs;
        this.maxStreams = maxStreams;
    }

    /**
     * A frame of {@code stream} sent at {@code timestampMs}, taken at {@code nowMs}; {@code declaredFps} its
     * stream's rate (0: unknown).
     */
    void record(String stream, Object size, long timestampMs, double declaredFps, long nowMs) {
        Stream s = streams.remove(stream);
        if (s == null) {
            s = new Stream();
        }
        s.seenAtMs = nowMs;
        streams.put(stream, s);
        forget(nowMs);
        s.declaredIntervalMs = declaredFps > 0 ? 1000 / declaredFps : Double.MAX_VALUE;
        if (s.size != null && s.size.equals(size) && timestampMs >= s.lastTimestampMs) {
            double interval = timestampMs - s.lastTimestampMs;
            s.intervalMs = s.intervalMs < 0 ? interval : (1 - SMOOTHING) * s.intervalMs + SMOOTHING * interval;
        } else if (s.size != null && !s.size.equals(size)) {
            s.intervalMs = -1; // a new size starts a new estimate
        }
        s.size = size;
        s.lastTimestampMs = Math.max(s.lastTimestampMs, timestampMs);
    }

    int streams() {
        return streams.size();
    }

    private void forget(long nowMs) {
        Iterator<Stream> oldest = streams.values().iterator();
        while (oldest.hasNext()) {
            Stream next = oldest.next();
            if (streams.size() <= maxStreams && nowMs - next.seenAtMs < idleMs) {
                return;
            }
            oldest.remove();
        }
    }

    /**
     * Milliseconds until {@code frames} more frames of {@code size} are expected, all streams of that size
     * together, as of {@code nowMs}; 0 when any of them has no estimate yet (assume they come at once).
     */
    double millisUntil(Object size, int frames, long nowMs) {
        double perMs = 0;
        for (Stream s : streams.values()) {
            if (!size.equals(s.size) || nowMs - s.lastTimestampMs > forgetAfterMs) {
                continue;
            }
            if (s.intervalMs <= 0) {
                return 0;
            }
            perMs += 1 / Math.min(s.intervalMs, s.declaredIntervalMs);
        }
        return perMs == 0 ? 0 : frames / perMs;
    }
}
