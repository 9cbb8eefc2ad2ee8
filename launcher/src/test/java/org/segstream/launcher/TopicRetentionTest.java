package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.segstream.config.Settings;
import org.segstream.contract.Topics;

/** Topic retention: defaults, the variables that override them, and the configs Kafka gets. */
class TopicRetentionTest {
    @Test
    void framesBrieflyMasksAndStatsADayDeadLettersAWeek() {
        var configs = TopicSetup.configs(Topics.defaults(), TopicRetention.DEFAULT);
        assertEquals(Map.of("max.message.bytes", "9437184", "retention.ms", "3600000", "retention.bytes", "1073741824",
                "segment.ms", "900000", "segment.bytes", "268435456"), configs.get("segstream.frames"));
        assertEquals("86400000", configs.get("segstream.masks").get("retention.ms"));
        assertEquals("2147483648", configs.get("segstream.masks").get("retention.bytes"));
        assertEquals("86400000", configs.get("segstream.stats").get("retention.ms"));
        assertEquals("604800000", configs.get("segstream.dead-letters").get("retention.ms"));
        assertEquals("86400000", configs.get("segstream.dead-letters").get("segment.ms"), "segments of at most a day");
        assertEquals("1 h and 1 GiB a partition", TopicRetention.DEFAULT.frames().describe());
    }

    @Test
    void eachVariableOverridesItsDefaultAndMinusOneMeansNoLimit() {
        var retention = TopicRetention.from(Settings.of(Map.of("SEGSTREAM_FRAMES_RETENTION_MS", "600000",
                "SEGSTREAM_FRAMES_RETENTION_BYTES", "-1", "SEGSTREAM_DEAD_LETTERS_RETENTION_MS", "-1")));
        assertEquals(new TopicRetention.Limit(600_000, -1), retention.frames());
        assertEquals(Map.of("retention.ms", "600000", "retention.bytes", "-1", "segment.ms", "150000"), retention.frames().configs());
        assertEquals(new TopicRetention.Limit(-1, TopicRetention.GIB), retention.deadLetters());
        assertEquals(TopicRetention.DEFAULT.masks(), retention.masks());
        assertEquals("10 min and no size limit", retention.frames().describe());
    }

    @Test
    void aRunOfFilesKeepsItsFramesUntilItEnds() {
        assertEquals(new TopicRetention.Limit(-1, -1), TopicRetention.forRun(Settings.of(Map.of()), true).frames());
        assertEquals(TopicRetention.DEFAULT, TopicRetention.forRun(Settings.of(Map.of()), false), "cameras only: as a service");
        assertEquals(new TopicRetention.Limit(7_200_000, -1),
                TopicRetention.forRun(Settings.of(Map.of("SEGSTREAM_FRAMES_RETENTION_MS", "7200000")), true).frames(), "the variable wins");
    }

    @Test
    void aBadValueNamesItsVariable() {
        var notANumber = assertThrows(IllegalArgumentException.class,
                () -> TopicRetention.from(Settings.of(Map.of("SEGSTREAM_MASKS_RETENTION_MS", "1d"))));
        assertTrue(notANumber.getMessage().contains("SEGSTREAM_MASKS_RETENTION_MS is '1d', expected a whole number"), notANumber.getMessage());
        var tooSmall = assertThrows(IllegalArgumentException.class,
                () -> TopicRetention.from(Settings.of(Map.of("SEGSTREAM_STATS_RETENTION_BYTES", "1000"))));
        assertEquals("SEGSTREAM_STATS_RETENTION_BYTES is '1000', expected a whole number of bytes, at least 67108864"
                + " (64 MiB; -1: no size limit)", tooSmall.getMessage());
    }
}
