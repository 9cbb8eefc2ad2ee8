package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Batch times are predicted per pixel and per batch size, so frames of one size are not judged by another's. */
class InferenceTimesTest {
    private static final long LARGE = 640L * 360;
    private static final long SMALL = 320L * 180;

    @Test
    void aSmallFrameIsPredictedFromTheLargeFramesTimesByItsPixels() {
        var times = new InferenceTimes();
        assertEquals(0, times.millis(1, SMALL), "nothing measured: no prediction, no early shedding");
        times.record(1, LARGE, 80);
        assertEquals(80, times.millis(1, LARGE), 1e-9);
        assertEquals(20, times.millis(1, SMALL), 1e-9, "a quarter of the pixels, a quarter of the time");
        assertEquals(40, times.millis(2, SMALL), 1e-9, "a batch size not measured yet: from the nearest, by frame count");
    }

    @Test
    void batchesOfMixedSizesSmoothIntoOneRatePerPixel() {
        var times = new InferenceTimes();
        times.record(1, LARGE, 80);
        times.record(1, SMALL, 20); // the same rate per pixel: the prediction does not move
        assertEquals(80, times.millis(1, LARGE), 1e-9);
        times.record(1, SMALL, 40); // twice as slow per pixel: smoothed in at a fifth
        assertEquals(80 * 0.8 + 160 * 0.2, times.millis(1, LARGE), 1e-9);
    }
}
