package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Batch times are kept per batch shape, so frames of one size are not judged by another's; unmeasured shapes are scaled. */
class InferenceTimesTest {
    private static final long LARGE = 640L * 360;
    private static final long SMALL = 320L * 180;

    @Test
    void anUnmeasuredShapeIsPredictedFromTheNearestByItsPixelsAndFrames() {
        var times = new InferenceTimes();
        assertEquals(0, times.millis(1, SMALL), "nothing measured: no prediction, no early shedding");
        times.record(1, LARGE, 80);
        assertEquals(80, times.millis(1, LARGE), 1e-9);
        assertEquals(20, times.millis(1, SMALL), 1e-9, "a quarter of the pixels, a quarter of the time");
        assertEquals(40, times.millis(2, SMALL), 1e-9, "and twice the frames, twice that");
    }

    @Test
    void eachFrameSizeKeepsItsOwnTime() {
        var times = new InferenceTimes();
        times.record(1, LARGE, 80);
        times.record(1, SMALL, 40); // twice as slow per pixel as the large frames
        assertEquals(80, times.millis(1, LARGE), 1e-9, "the small frames do not pull the large frames' time");
        assertEquals(40, times.millis(1, SMALL), 1e-9);
        times.record(1, SMALL, 60);
        assertEquals(40 * 0.8 + 60 * 0.2, times.millis(1, SMALL), 1e-9, "a shape's own batches smooth in at a fifth");
        assertEquals(80, times.millis(1, LARGE), 1e-9);
    }

    @Test
    void theSameFrameSizeIsNearerThanTheSameBatchCount() {
        var times = new InferenceTimes();
        times.record(4, SMALL, 100); // 25 ms a small frame in a batch of 4
        times.record(1, LARGE, 80);
        assertEquals(50, times.millis(2, SMALL), 1e-9, "from the small frames' batches of 4, not the large frames' batches of 1");
    }

    @Test
    void onlyTheMostRecentlyMeasuredShapesAreKept() {
        var times = new InferenceTimes();
        times.record(1, LARGE, 80);
        for (int i = 1; i <= InferenceTimes.MAX_SHAPES; i++) {
            times.record(1, 1000L * i, 7);
        }
        assertEquals(7 * LARGE / (1000.0 * InferenceTimes.MAX_SHAPES), times.millis(1, LARGE), 1e-9,
                "the first shape measured was dropped: its size is now scaled from the nearest kept one");
    }
}
