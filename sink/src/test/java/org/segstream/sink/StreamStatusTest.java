package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamStatusTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aStreamIsOfflineAfterFiveSecondsOrFourOfItsFrameIntervalsWhicheverIsLonger() {
        assertEquals(Duration.ofSeconds(5), StreamStatus.offlineAfter(25));
        assertEquals(Duration.ofSeconds(5), StreamStatus.offlineAfter(5));
        assertEquals(Duration.ofSeconds(8), StreamStatus.offlineAfter(0.5), "4 intervals of 2 s");
        assertEquals(Duration.ofSeconds(5), StreamStatus.offlineAfter(0), "no declared rate");
        assertEquals(Duration.ofSeconds(5), StreamStatus.offlineAfter(Double.NaN));
    }

    @Test
    void anOfflineStreamShowsZeroFpsAndHowLongItHasBeenSilent() {
        FrameRate rate = new FrameRate();
        for (long ms = 0; ms <= 6000; ms += 200) {
            rate.frame(ms * 1_000_000);
        }
        long last = 6 * S;
        StreamStatus live = StreamStatus.of(rate, last, 5, last + S / 10);
        assertTrue(live.online());
        assertEquals(5, live.fps(), 0.5);
        assertEquals(100, live.lastFrameAgeMillis());

        assertTrue(StreamStatus.of(rate, last, 5, last + 5 * S).online(), "5 s is not yet more than 5 s");
        StreamStatus gone = StreamStatus.of(rate, last, 5, last + 12 * S);
        assertFalse(gone.online());
        assertEquals(0, gone.fps());
        assertEquals(12_000, gone.lastFrameAgeMillis());
    }

    @Test
    void aSlowStreamIsLiveBetweenItsFrames() {
        FrameRate rate = new FrameRate();
        rate.frame(0);
        rate.frame(2 * S);
        assertTrue(StreamStatus.of(rate, 2 * S, 0.5, 9 * S).online(), "7 s of silence is under 4 intervals of 2 s");
        assertFalse(StreamStatus.of(rate, 2 * S, 0.5, 11 * S).online());
    }
}
