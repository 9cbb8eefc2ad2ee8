package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/** {@link FrameRate} against a fake clock: frames arrive at given milliseconds, readings are taken every 10 ms. */
class FrameRateTest {
    private static final long MS = 1_000_000;
    /** nanoTime readings may be negative; start there so the bucket arithmetic is exercised across zero. */
    private static final long T0 = -1_234_567_890L;

    private final FrameRate rate = new FrameRate();

    /** Feeds frames at {@code arrivals} (ms after T0) and checks every reading from {@code fromMs} up to the last frame. */
    private void assertReadings(long[] arrivals, long fromMs, double low, double high, LongPredicate sampleAt) {
        int next = 0;
        for (long ms = 0; ms <= arrivals[arrivals.length - 1]; ms += 10) {
            while (next < arrivals.length && arrivals[next] <= ms) {
                rate.frame(T0 + arrivals[next++] * MS);
            }
            if (ms >= fromMs && sampleAt.test(ms)) {
                double fps = rate.perSecond(T0 + ms * MS);
                assertTrue(fps >= low && fps <= high, "at " + ms + " ms the stream read " + fps + " fps, expected " + low + ".." + high);
            }
        }
    }

    private static long[] every(long intervalMs, int count, long offsetMs) {
        long[] arrivals = new long[count];
        for (int i = 0; i < count; i++) {
            arrivals[i] = offsetMs + i * intervalMs;
        }
        return arrivals;
    }

    @Test
    void aSteadyFiveFpsStreamReadsFiveWithinTwoSeconds() {
        assertReadings(every(200, 60, 0), 2000, 4.5, 5.5, ms -> true);
    }

    @Test
    void twentyFiveFpsReadsTwentyFive() {
        assertReadings(every(40, 300, 0), 2000, 24, 26, ms -> true);
    }

    @Test
    void batchesOfFourAtFiveFpsOnAverageStillReadFive() {
        // 4 frames within 6 ms every 800 ms; offsets put some batches across a 100 ms boundary of the buckets
        for (long offset : new long[] {0, 40, 97, 198, 451}) {
            long[] arrivals = new long[60];
            for (int i = 0; i < arrivals.length; i++) {
                arrivals[i] = offset + (i / 4) * 800L + (i % 4) * 2L;
            }
            FrameRate fresh = new FrameRate();
            int next = 0;
            for (long ms = 0; ms <= arrivals[arrivals.length - 1]; ms++) {
                while (next < arrivals.length && arrivals[next] <= ms) {
                    fresh.frame(T0 + arrivals[next++] * MS);
                }
                if (ms >= 2000 && next % 4 == 0) { // between batches, not in the middle of one
                    double fps = fresh.perSecond(T0 + ms * MS);
                    assertTrue(fps >= 4.5 && fps <= 5.5, "offset " + offset + ", at " + ms + " ms: " + fps + " fps");
                }
            }
        }
    }

    @Test
    void aStreamThatStopsDecaysToZeroOverTheWindow() {
        long[] arrivals = every(200, 30, 0);
        assertReadings(arrivals, 2000, 4.5, 5.5, ms -> true);
        long last = arrivals[arrivals.length - 1];
        double before = rate.perSecond(T0 + last * MS);
        for (long ms = last; ms <= last + 5000; ms += 10) {
            double fps = rate.perSecond(T0 + ms * MS);
            assertTrue(fps <= before, "the rate rose from " + before + " to " + fps + " with no new frame, at " + ms + " ms");
            before = fps;
        }
        assertTrue(rate.perSecond(T0 + (last + 2500) * MS) < 4, "halfway through the window the rate has fallen");
        assertEquals(0, rate.perSecond(T0 + (last + 5100) * MS), "no frame in the window");
        assertEquals(0, rate.perSecond(T0 + (last + 60_000) * MS));
    }

    @Test
    void aStreamThatResumesAfterMoreThanTheWindowReadsItsNewRateAtOnce() {
        for (long ms = 0; ms < 4000; ms += 100) {
            rate.frame(T0 + ms * MS); // 10 fps
        }
        long resumed = 20_000;
        assertReadings(every(200, 20, resumed), resumed + 1000, 4.5, 5.5, ms -> ms >= resumed + 1000);
    }

    @Test
    void aNewStreamReadsZeroUntilItsSecondFrame() {
        assertEquals(0, rate.perSecond(T0));
        rate.frame(T0);
        assertEquals(0, rate.perSecond(T0 + 150 * MS));
        rate.frame(T0 + 200 * MS);
        assertEquals(5, rate.perSecond(T0 + 200 * MS), 0.01);
    }

    @Test
    void dropsAreCountedPerSecondOverTheSameWindow() {
        for (long ms = 0; ms <= 10_000; ms += 200) {
            rate.frame(T0 + ms * MS);
            if (ms == 7000) {
                rate.dropped(10, T0 + ms * MS);
            }
        }
        assertEquals(2.0, rate.droppedPerSecond(T0 + 10_000 * MS), 0.01, "10 drops over 5 s");
        assertEquals(5.0, rate.perSecond(T0 + 10_000 * MS), 0.5, "drops do not count as frames");
        assertEquals(0, rate.droppedPerSecond(T0 + 12_100 * MS), "the drops left the window");
    }

    @Test
    void dropsJustAfterAStreamStartsAreSpreadOverAtLeastASecond() {
        rate.frame(T0);
        rate.dropped(3, T0 + 100 * MS);
        assertEquals(3.0, rate.droppedPerSecond(T0 + 200 * MS), 0.01);
        assertEquals(1.5, rate.droppedPerSecond(T0 + 2000 * MS), 0.01, "3 drops over the 2 s seen so far");
    }

    @Test
    void aReadingFromAClockALittleBehindDoesNotMoveTheWindowBack() {
        for (long ms = 0; ms <= 6000; ms += 200) {
            rate.frame(T0 + ms * MS);
        }
        assertEquals(rate.perSecond(T0 + 6000 * MS), rate.perSecond(T0 + 5800 * MS), "another thread's slightly older nanoTime");
    }
}
