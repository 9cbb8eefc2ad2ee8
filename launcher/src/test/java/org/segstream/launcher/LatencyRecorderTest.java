package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void percentilesMatchTheExactOnesWithinTheHistogramsPrecision() {
        var recorder = new LatencyRecorder();
        var random = new Random(42);
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            // long-tailed, as latencies are: mostly 50..500 ms, a few up to a minute
            values[i] = (long) Math.min(60_000, Math.exp(4 + random.nextGaussian() * 1.2));
            recorder.add(values[i]);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double p : new double[] {1, 50, 90, 95, 99, 99.9, 100}) {
            int rank = (int) Math.ceil(p / 100 * sorted.length); // nearest rank, 1-based
            long low = sorted[Math.max(0, rank - 2)];
            long high = sorted[Math.min(sorted.length - 1, rank)];
            long got = recorder.percentile(p);
            // 3 significant digits: within 1/1024 of the value, ranks rounded by at most one
            assertTrue(got >= low - low / 1024 - 1 && got <= high + high / 1024 + 1,
                    "p" + p + ": " + got + " outside the exact " + low + ".." + high);
        }
        assertEquals(sorted[sorted.length - 1], recorder.percentile(100), sorted[sorted.length - 1] / 1024.0 + 1);
    }

    @Test
    void valuesBelow2048MsAreExact() {
        var recorder = new LatencyRecorder();
        for (long v = 1; v <= 2000; v++) {
            recorder.add(v);
        }
        assertEquals(1000, recorder.percentile(50));
        assertEquals(1980, recorder.percentile(99));
        assertEquals(2000, recorder.percentile(100));
    }

    @Test
    void withoutSamplesEveryPercentileIsMinusOneAndANegativeLatencyCountsAsZero() {
        var recorder = new LatencyRecorder();
        assertEquals(-1, recorder.percentile(50));
        recorder.add(-3);
        assertEquals(0, recorder.percentile(100));
    }

    @Test
    void memoryDoesNotGrowWithSamples() {
        var recorder = new LatencyRecorder();
        var random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            recorder.add(random.nextInt(30_000));
        }
        int after10k = recorder.footprintBytes();
        for (int i = 0; i < 1_000_000; i++) {
            recorder.add(random.nextInt(30_000));
        }
        assertEquals(1_010_000, recorder.count());
        assertEquals(after10k, recorder.footprintBytes(), "a hundred times the samples, the same memory");
    }
}
