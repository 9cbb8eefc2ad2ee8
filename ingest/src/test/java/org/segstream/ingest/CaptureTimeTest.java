package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The capture-time rule: live = wall clock; files = creation time + pts where present, else ingest time. */
class CaptureTimeTest {
    private static final long CREATED = CaptureTime.epochMillis("2024-05-01T08:30:00.000000Z");
    private static final long NOW = 1_763_769_600_123L;

    @Test
    void fileWithACreationTimeIsStampedWithItPlusThePts() {
        assertEquals(1_714_552_200_000L, CREATED);
        assertEquals(CREATED + 1_234, CaptureTime.of(false, true, CREATED, 1_234_567, NOW));
        assertEquals(CREATED, CaptureTime.of(false, true, CREATED, 0, NOW));
    }

    @Test
    void fileWithoutACreationTimeIsStampedWithTheIngestTime() {
        assertEquals(NOW, CaptureTime.of(false, true, CaptureTime.epochMillis(null), 1_234_567, NOW));
        assertEquals(NOW, CaptureTime.of(false, true, CaptureTime.epochMillis("not a date"), 1_234_567, NOW));
        assertEquals(NOW, CaptureTime.of(false, true, CaptureTime.epochMillis("1970-01-01T00:00:00Z"), 40_000, NOW),
                "a camera without a clock writes 1970");
    }

    @Test
    void captureTimeIngestOverridesTheRecordedTime() {
        assertEquals(NOW, CaptureTime.of(false, false, CREATED, 1_234_567, NOW));
    }

    @Test
    void liveSourcesAreStampedWithTheWallClock() {
        assertEquals(NOW, CaptureTime.of(true, true, CREATED, 1_234_567, NOW));
        assertEquals(NOW, CaptureTime.of(true, true, -1, 99, NOW));
    }
}
