package org.segstream.ingest;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The capture time of a frame: the wall clock for live sources; for files the container's
 * creation time plus the frame's pts where the file has one (dashcams write it), else the time
 * ingest read the frame. The pts itself is always kept in its own header.
 */
final class CaptureTime {
    private CaptureTime() {
    }

    /**
     * @param live       a live source (camera, stream): capture time is {@code nowMs}
     * @param recorded   files: use the recording's own time when it has one ({@code capture-time=recorded}, the default)
     * @param creationMs the container's creation time (epoch ms), or -1 when it has none
     * @param ptsMicros  the frame's presentation timestamp
     * @param nowMs      when ingest read the frame
     */
    static long of(boolean live, boolean recorded, long creationMs, long ptsMicros, long nowMs) {
        if (live || !recorded || creationMs < 0) {
            return nowMs;
        }
        return creationMs + Math.max(0, ptsMicros) / 1000;
    }

    /** Epoch ms of an ISO 8601 time such as {@code 2024-05-01T08:30:00.000000Z}, or -1 when absent or unreadable. */
    static long epochMillis(String creationTime) {
        if (creationTime == null || creationTime.isBlank()) {
            return -1;
        }
        try {
            long ms = OffsetDateTime.parse(creationTime.trim()).toInstant().toEpochMilli();
            return ms > 0 ? ms : -1; // 1970 or earlier: a camera without a clock
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
