package org.segstream.ingest;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** A container's creation_time metadata as epoch milliseconds. */
final class CaptureTime {
    private CaptureTime() {
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
