package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionLimitsTest {
    @Test
    void unsetKeepsEverything() {
        assertTrue(RetentionLimits.fromEnv(Map.of()).keepsEverything());
    }

    @Test
    void hoursAndGigabytesAreRead() {
        var limits = RetentionLimits.fromEnv(Map.of("SEGSTREAM_RETENTION_MAX_AGE_HOURS", "1.5", "SEGSTREAM_RETENTION_MAX_GB", "0.25"));
        assertEquals(Duration.ofMinutes(90), limits.maxAge());
        assertEquals(250_000_000L, limits.maxBytes());
    }

    @Test
    void aBadValueNamesTheVariable() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> RetentionLimits.fromEnv(Map.of("SEGSTREAM_RETENTION_MAX_GB", "lots")));
        assertTrue(error.getMessage().contains("SEGSTREAM_RETENTION_MAX_GB"), error.getMessage());
    }
}
