package org.segstream.launcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.segstream.config.Setting;
import org.segstream.config.Settings;
import org.segstream.contract.Topic;
import org.segstream.contract.Topics;

/**
 * How much each segstream topic keeps, so a broker's disk stays bounded: frames briefly (a frame is
 * about 67 KB, some 29 GB per camera a day at 5 fps), masks and stats for a day, dead letters for a
 * week. Each limit is Kafka's own, per partition: the older records of a partition are deleted once
 * they are older than {@code ms} or once the partition holds more than {@code bytes} (-1: no limit).
 * Set by {@code SEGSTREAM_<TOPIC>_RETENTION_MS} and {@code SEGSTREAM_<TOPIC>_RETENTION_BYTES}, TOPIC
 * one of FRAMES, MASKS, STATS, DEAD_LETTERS.
 */
record TopicRetention(Limit frames, Limit masks, Limit stats, Limit deadLetters) {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long MIB = 1024L * 1024;
    static final long GIB = 1024 * MIB;

    /** Each topic's documented default ({@link Topics}). */
    static final TopicRetention DEFAULT = new TopicRetention(documented(Topics.FRAMES), documented(Topics.MASKS),
            documented(Topics.STATS), documented(Topics.DEAD_LETTERS));

    /**
     * One topic's limits, per partition.
     *
     * @param ms    records older than this are deleted (-1: kept whatever their age)
     * @param bytes a partition is kept under about this size by deleting its oldest records (-1: no size limit)
     */
    record Limit(long ms, long bytes) {
        Limit {
            if (ms != -1 && ms < MINUTE) {
                throw new IllegalArgumentException("a retention of " + ms + " ms is under a minute (-1: no time limit)");
            }
            if (bytes != -1 && bytes < 64 * MIB) {
                throw new IllegalArgumentException("a retention of " + bytes + " bytes is under 64 MiB (-1: no size limit)");
            }
        }

        /**
         * The topic configs: the limits, and segments small enough for them to work. Kafka deletes whole
         * segments only, and a segment is closed after 7 days or 1 GiB by default, so without smaller
         * segments a quiet partition would keep a week of frames whatever retention.ms says. With a
         * quarter of each limit, a partition holds at most about 1.25 times its limits.
         */
        Map<String, String> configs() {
            Map<String, String> configs = new LinkedHashMap<>();
            configs.put("retention.ms", String.valueOf(ms));
            configs.put("retention.bytes", String.valueOf(bytes));
            if (ms > 0) {
                configs.put("segment.ms", String.valueOf(Math.max(MINUTE, Math.min(DAY, ms / 4))));
            }
            if (bytes > 0) {
                configs.put("segment.bytes", String.valueOf(Math.max(16 * MIB, Math.min(GIB, bytes / 4))));
            }
            return configs;
        }

        /** "1 h and 1 GiB a partition". */
        String describe() {
            return (ms < 0 ? "no time limit" : duration(ms)) + " and " + (bytes < 0 ? "no size limit" : size(bytes) + " a partition");
        }
    }

    private static Limit documented(Topic<?> topic) {
        return new Limit(topic.retentionMs(), topic.retentionBytes());
    }

    /** Limits from the variables, each overriding its default. */
    static TopicRetention from(Settings settings) {
        return from(settings, DEFAULT);
    }

    /**
     * {@code segstream run}'s limits. Ingest reads a file as fast as the broker takes it, faster than the
     * segmenter, and a time or size limit would delete frames of a long file before they are segmented;
     * run's broker is deleted when the run ends, so while a file is among its sources frames are kept
     * without a limit. A run of cameras only keeps them as briefly as a service does.
     */
    static TopicRetention forRun(Settings settings, boolean filesAmongSources) {
        return from(settings, filesAmongSources ? new TopicRetention(new Limit(-1, -1), DEFAULT.masks, DEFAULT.stats, DEFAULT.deadLetters)
                : DEFAULT);
    }

    static TopicRetention from(Settings settings, TopicRetention defaults) {
        return new TopicRetention(limit(settings, "FRAMES", defaults.frames), limit(settings, "MASKS", defaults.masks),
                limit(settings, "STATS", defaults.stats), limit(settings, "DEAD_LETTERS", defaults.deadLetters));
    }

    /** The variables, with the defaults of {@link #DEFAULT}. */
    static final List<Setting<?>> SETTINGS = List.of(
            msSetting("FRAMES", DEFAULT.frames.ms), bytesSetting("FRAMES", DEFAULT.frames.bytes),
            msSetting("MASKS", DEFAULT.masks.ms), bytesSetting("MASKS", DEFAULT.masks.bytes),
            msSetting("STATS", DEFAULT.stats.ms), bytesSetting("STATS", DEFAULT.stats.bytes),
            msSetting("DEAD_LETTERS", DEFAULT.deadLetters.ms), bytesSetting("DEAD_LETTERS", DEFAULT.deadLetters.bytes));

    private static Limit limit(Settings settings, String topic, Limit defaults) {
        return new Limit(settings.get(msSetting(topic, defaults.ms())), settings.get(bytesSetting(topic, defaults.bytes())));
    }

    /** SEGSTREAM_TOPIC_RETENTION_MS: at least a minute, or -1. */
    private static Setting<Long> msSetting(String topic, long defaultMs) {
        return Setting.of("SEGSTREAM_" + topic + "_RETENTION_MS", defaultMs,
                "a whole number of ms, at least " + MINUTE + " (a minute; -1: no time limit)", text -> {
                    long ms = Long.parseLong(text);
                    return ms == -1 || ms >= MINUTE ? ms : null;
                });
    }

    /** SEGSTREAM_TOPIC_RETENTION_BYTES: at least 64 MiB, or -1. */
    private static Setting<Long> bytesSetting(String topic, long defaultBytes) {
        return Setting.of("SEGSTREAM_" + topic + "_RETENTION_BYTES", defaultBytes,
                "a whole number of bytes, at least " + 64 * MIB + " (64 MiB; -1: no size limit)", text -> {
                    long bytes = Long.parseLong(text);
                    return bytes == -1 || bytes >= 64 * MIB ? bytes : null;
                });
    }

    private static String duration(long ms) {
        if (ms % DAY == 0) {
            return ms / DAY + " d";
        }
        if (ms % HOUR == 0) {
            return ms / HOUR + " h";
        }
        return ms % MINUTE == 0 ? ms / MINUTE + " min" : ms + " ms";
    }

    private static String size(long bytes) {
        if (bytes % GIB == 0) {
            return bytes / GIB + " GiB";
        }
        return bytes % MIB == 0 ? bytes / MIB + " MiB" : String.format(Locale.ROOT, "%d bytes", bytes);
    }
}
