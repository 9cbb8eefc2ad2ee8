package org.segstream.launcher;

import java.util.Arrays;

/** End-to-end latencies of one stream, for percentiles at the end of a run (8 bytes a frame). */
public final class LatencyRecorder {
    private long[] values = new long[1024];
    private int count;

    public void add(long millis) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = millis;
    }

    /** The {@code p}-th percentile (0..100) by nearest rank, or -1 without samples. */
    public long percentile(double p) {
        if (count == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
    }
}
