package org.segstream.segmenter;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one segmenter instance, shared by its stream threads (lock-free adders). */
public final class SegmenterStats {
    private final Map<String, LongAdder> segmented = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
    private final LongAdder batches = new LongAdder();
    private final LongAdder batchedFrames = new LongAdder();
    private final LongAdder inferenceNanos = new LongAdder();

    void segmented(String stream) {
        segmented.computeIfAbsent(stream, s -> new LongAdder()).increment();
    }

    void deadLetter(String stream) {
        deadLetters.computeIfAbsent(stream == null ? "(unknown)" : stream, s -> new LongAdder()).increment();
    }

    void dropped(String stream, String reason) {
        dropped.computeIfAbsent(stream + "/" + reason, s -> new LongAdder()).increment();
    }

    void batch(int frames, long nanos) {
        batches.increment();
        batchedFrames.add(frames);
        inferenceNanos.add(nanos);
    }

    /** Frames whose mask was forwarded, per stream. */
    public Map<String, Long> segmentedByStream() {
        return snapshot(segmented);
    }

    public Map<String, Long> deadLettersByStream() {
        return snapshot(deadLetters);
    }

    /** Frames shed without a mask, keyed "stream/reason". */
    public Map<String, Long> droppedByStreamAndReason() {
        return snapshot(dropped);
    }

    public double meanBatchSize() {
        long n = batches.sum();
        return n == 0 ? 0 : (double) batchedFrames.sum() / n;
    }

    public double meanInferenceMillisPerFrame() {
        long frames = batchedFrames.sum();
        return frames == 0 ? 0 : inferenceNanos.sum() / 1e6 / frames;
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
