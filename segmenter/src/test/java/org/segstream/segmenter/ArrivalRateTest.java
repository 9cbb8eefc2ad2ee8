package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ArrivalRateTest {

    @Test
    void streamsOfOneSizeAddUpTheirRates() {
        var rate = new ArrivalRate(1000, 600_000, 100);
        for (int i = 0; i < 5; i++) {
            rate.record("cam1", "640x360", 10_000 + i * 40L, 0, 10_000 + i * 40L);  // 25 fps
            rate.record("cam2", "640x360", 10_000 + i * 100L, 0, 10_000 + i * 100L); // 10 fps
            rate.record("cam3", "1280x720", 10_000 + i * 10L, 0, 10_000 + i * 10L); // another size: another batch
        }
        // 35 frames a second of 640x360: three more in 3 / 0.035 ms.
        assertEquals(3 / (1 / 40.0 + 1 / 100.0), rate.millisUntil("640x360", 3, 10_400), 1e-6);
        assertEquals(30, rate.millisUntil("1280x720", 3, 10_400), 1e-6);
    }

    @Test
    void aPauseDoesNotPassForASlowCameraWhenTheStreamDeclaresItsRate() {
        var rate = new ArrivalRate(60_000, 600_000, 100);
        rate.record("cam1", "s", 10_000, 25, 10_000);
        rate.record("cam1", "s", 18_000, 25, 18_000); // resumed after an 8 s pause (a restart, a reconnect)
        assertEquals(40, rate.millisUntil("s", 1, 18_010), 1e-6, "the declared 25 fps, not one frame in 8 s");
        rate.record("cam2", "s", 10_000, 25, 10_000);
        rate.record("cam2", "s", 10_010, 25, 10_010);  // a file read faster than its rate
        assertEquals(1 / (1 / 40.0 + 1 / 10.0), rate.millisUntil("s", 1, 18_010), 1e-6, "the observed 10 ms where shorter");
    }

    @Test
    void aStreamWithoutAnEstimateYetMeansDoNotHurry() {
        var rate = new ArrivalRate(1000, 600_000, 100);
        rate.record("cam1", "s", 10_000, 0, 10_000);
        rate.record("cam1", "s", 10_200, 0, 10_200);
        rate.record("cam2", "s", 10_250, 0, 10_250); // one frame: its rate is unknown
        assertEquals(0, rate.millisUntil("s", 2, 10_300), "assume the unknown stream's frames come at once");
    }

    @Test
    void silentStreamsStopCountingAndANewSizeStartsAFreshEstimate() {
        var rate = new ArrivalRate(1000, 600_000, 100);
        rate.record("cam1", "s", 10_000, 0, 10_000);
        rate.record("cam1", "s", 10_010, 0, 10_010);                   // 100 fps
        rate.record("cam2", "s", 10_000, 0, 10_000);
        rate.record("cam2", "s", 10_500, 0, 10_500);                   // 2 fps
        assertEquals(2 / (1 / 10.0 + 1 / 500.0), rate.millisUntil("s", 2, 10_600), 1e-6);
        rate.record("cam2", "s", 11_000, 0, 11_000);
        assertEquals(1000, rate.millisUntil("s", 2, 11_500), 1e-6, "cam1 has been silent for 1.5 s");
        rate.record("cam2", "t", 11_040, 0, 11_040);
        assertEquals(0, rate.millisUntil("t", 1, 11_050), "one frame at the new size: no estimate");
        assertEquals(0, rate.millisUntil("s", 1, 11_050), "nothing left at the old size: no estimate");
    }

    @Test
    void streamsIdleByTheSegmentersClockAreForgottenAndTheirNumberIsCapped() {
        var rate = new ArrivalRate(1000, 60_000, 3);
        for (int i = 0; i < 5; i++) {
            rate.record("cam" + i, "s", 10_000, 25, 1_000 + i);
        }
        assertEquals(3, rate.streams(), "the two least recent are forgotten past the cap");
        rate.record("cam4", "s", 10_040, 25, 70_000);
        assertEquals(1, rate.streams(), "the others were idle for 60 s by the segmenter's clock, whatever their timestamps say");
    }
}
