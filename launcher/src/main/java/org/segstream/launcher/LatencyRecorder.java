package org.segstream.launcher;

import org.HdrHistogram.Histogram;

/**
 * Latencies in milliseconds for percentiles at the end of a run, in an HdrHistogram: to 3 significant
 * digits (exact below 2048 ms, within 0.1 % above), in memory that grows with the logarithm of the largest
 * value, never with the number of samples, so an hour-long run costs what a minute does. Not thread-safe.
 * The run table keeps one per stream; the benchmark builds its distributions from them.
 */
public final class LatencyRecorder {
    /** 3 significant digits: a bucket is at most 1/1024 of its value wide. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram = new Histogram(SIGNIFICANT_DIGITS); // auto-resizing up to the largest value seen

    /** A negative latency (clocks of two machines a little apart) counts as 0. */
    public void add(long millis) {
        histogram.recordValue(Math.max(0, millis));
    }

    /** Adds every sample of {@code other}. */
    public void addAll(LatencyRecorder other) {
        histogram.add(other.histogram);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The {@code p}-th percentile (0..100): the value at or below which {@code p} % of the samples lie, or -1 without samples. */
    public long percentile(double p) {
        if (histogram.getTotalCount() == 0) {
            return -1;
        }
        return histogram.getValueAtPercentile(p);
    }

    /** The histogram's own estimate of its memory. */
    public int footprintBytes() {
        return histogram.getEstimatedFootprintInBytes();
    }
}
