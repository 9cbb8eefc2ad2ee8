package org.segstream.bench;

import java.util.Map;
import java.util.TreeMap;
import org.segstream.launcher.LatencyRecorder;
import org.segstream.sink.FrameTimeline;

/**
 * The latencies of a set of written frames, end to end and by stage ({@link FrameTimeline#STAGES}), in
 * bounded memory: one {@link LatencyRecorder} per figure, and for "where did the slowest 1 % spend their
 * time" the stage times summed per end-to-end bucket of 1/128 of its value (so at most about 64 buckets per
 * doubling of the worst latency, whatever the number of frames). Not thread-safe.
 */
final class LatencyDistribution {
    /** Buckets of the end-to-end latency: one per millisecond below 2 x this, then at most 1/SUB_BUCKETS of the value wide. */
    private static final int SUB_BUCKETS = 128;

    /** The frames of one end-to-end bucket: how many, and their summed times (per stage: only frames that had one). */
    private static final class Bucket {
        long frames;
        double endToEndSum;
        final double[] stageSum = new double[FrameTimeline.STAGES.size()];
        final long[] stageFrames = new long[FrameTimeline.STAGES.size()];
    }

    private final LatencyRecorder endToEnd = new LatencyRecorder();
    private final LatencyRecorder[] stages = new LatencyRecorder[FrameTimeline.STAGES.size()];
    private final TreeMap<Long, Bucket> buckets = new TreeMap<>();

    LatencyDistribution() {
        for (int s = 0; s < stages.length; s++) {
            stages[s] = new LatencyRecorder();
        }
    }

    /** One frame: its end-to-end latency and its stage times (-1: unknown). */
    void add(long endToEndMillis, long[] stageMillis) {
        endToEnd.add(endToEndMillis);
        Bucket bucket = buckets.computeIfAbsent(bucketOf(endToEndMillis), k -> new Bucket());
        bucket.frames++;
        bucket.endToEndSum += endToEndMillis;
        for (int s = 0; s < stages.length; s++) {
            if (stageMillis[s] >= 0) {
                stages[s].add(stageMillis[s]);
                bucket.stageSum[s] += stageMillis[s];
                bucket.stageFrames[s]++;
            }
        }
    }

    /** Adds every frame of {@code other} (for totals over several parts). */
    void addAll(LatencyDistribution other) {
        other.replay(this);
    }

    /** This distribution after adding {@code other}'s frames (for chaining). */
    LatencyDistribution with(LatencyDistribution other) {
        addAll(other);
        return this;
    }

    private void replay(LatencyDistribution into) {
        for (Map.Entry<Long, Bucket> e : buckets.entrySet()) {
            Bucket b = e.getValue();
            Bucket target = into.buckets.computeIfAbsent(e.getKey(), k -> new Bucket());
            target.frames += b.frames;
            target.endToEndSum += b.endToEndSum;
            for (int s = 0; s < stages.length; s++) {
                target.stageSum[s] += b.stageSum[s];
                target.stageFrames[s] += b.stageFrames[s];
            }
        }
        into.endToEnd.addAll(endToEnd);
        for (int s = 0; s < stages.length; s++) {
            into.stages[s].addAll(stages[s]);
        }
    }

    int frames() {
        return (int) endToEnd.count();
    }

    /** End to end, the {@code p}-th percentile (0..100) in milliseconds, or -1 without frames. */
    long percentile(double p) {
        return endToEnd.percentile(p);
    }

    /** Per stage p50 and p99, and the mean per stage of the slowest 1 % of frames by end-to-end latency. */
    AllStreamsLatency.StageSplit split() {
        int n = stages.length;
        long[] p50 = new long[n];
        long[] p99 = new long[n];
        for (int s = 0; s < n; s++) {
            p50[s] = stages[s].percentile(50);
            p99[s] = stages[s].percentile(99);
        }
        long slowest = Math.max(1, (long) Math.ceil(frames() / 100.0));
        double[] sum = new double[n];
        double[] counted = new double[n];
        double endToEndSum = 0;
        double taken = 0;
        for (Bucket b : buckets.descendingMap().values()) {
            if (taken >= slowest) {
                break;
            }
            // the bucket at the 1 % boundary counts in proportion: its frames are alike to within its width
            double weight = Math.min(1.0, (slowest - taken) / b.frames);
            taken += weight * b.frames;
            endToEndSum += weight * b.endToEndSum;
            for (int s = 0; s < n; s++) {
                sum[s] += weight * b.stageSum[s];
                counted[s] += weight * b.stageFrames[s];
            }
        }
        double[] mean = new double[n];
        for (int s = 0; s < n; s++) {
            mean[s] = counted[s] > 0 ? sum[s] / counted[s] : -1;
        }
        int slowestFrames = frames() == 0 ? 0 : (int) slowest;
        return new AllStreamsLatency.StageSplit(p50, p99, mean, taken > 0 ? endToEndSum / taken : -1, slowestFrames);
    }

    /** Estimated memory: the histograms plus the buckets (about 40 bytes a stage and 64 more each). */
    long footprintBytes() {
        long bytes = endToEnd.footprintBytes();
        for (LatencyRecorder stage : stages) {
            bytes += stage.footprintBytes();
        }
        return bytes + (long) buckets.size() * (64 + 16L * stages.length + 40);
    }

    /** The bucket of {@code millis}: itself below 2 x {@link #SUB_BUCKETS}, then rounded down to a power of two at most 1/SUB_BUCKETS of it. */
    static long bucketOf(long millis) {
        long value = Math.max(0, millis);
        long width = 1;
        while (value / width >= 2L * SUB_BUCKETS) {
            width *= 2;
        }
        return value / width * width;
    }
}
