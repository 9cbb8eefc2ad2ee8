package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.segstream.config.Settings;

class RetentionLimitsTest {
    @Test
    void unsetKeepsEverything() {
        assertTrue(SinkSettings.retention(Settings.of(Map.of())).keepsEverything());
    }

    @Test
    void hoursAndGigabytesAreRead() {
        var limits = SinkSettings.retention(Settings.of(Map.of("SEGSTREAM_RETENTION_MAX_AGE_HOURS", "1.5", "SEGSTREAM_RETENTION_MAX_GB", "0.25")));
        assertEquals(Duration.ofMinutes(90), limits.maxAge());
        assertEquals(250_000_000L, limits.maxBytes());
    }

    @Test
    void aBadValueNamesTheVariable() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> SinkSettings.retention(Settings.of(Map.of("SEGSTREAM_RETENTION_MAX_GB", "lots"))));
        assertEquals("SEGSTREAM_RETENTION_MAX_GB is 'lots', expected a number above 0", error.getMessage());
    }
}
