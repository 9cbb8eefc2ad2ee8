package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LargeBatchesTest {
    static final long SMALL = 4L * 640 * 360;
    static final long LARGE = 3840L * 2160;

    @Test
    void memoryIsGivenBackAfterAnOutlierButNotForASteadyStream() {
        var batches = new LargeBatches(60_000);
        List<Boolean> released = new ArrayList<>();
        long t = 1_000_000;
        released.add(batches.release(SMALL, t));            // the first: nothing to compare with
        for (int i = 1; i <= 5; i++) {
            released.add(batches.release(SMALL, t + i * 100)); // steady
        }
        released.add(batches.release(SMALL / 2, t + 600));   // a partial batch
        released.add(batches.release(LARGE, t + 700));       // one 4K frame among them
        released.add(batches.release(SMALL, t + 800));
        assertEquals(List.of(true, false, false, false, false, false, false, true, false), released);

        // A minute on, the 4K size has not come back: the next batch releases once, then the steady size rules.
        assertEquals(true, batches.release(SMALL, t + 61_000));
        assertEquals(false, batches.release(SMALL, t + 61_100));
        // A camera that sends 4K all the time keeps its memory after its first batch.
        assertEquals(true, batches.release(LARGE, t + 62_000));
        assertEquals(false, batches.release(LARGE, t + 62_200));
        assertEquals(false, batches.release(LARGE, t + 62_400));
    }
}
