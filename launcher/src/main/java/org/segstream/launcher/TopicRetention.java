package org.segstream.launcher;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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

    /** Limits from the environment, each variable overriding its default. */
    static TopicRetention fromEnv(Map<String, String> env) {
        return fromEnv(env, DEFAULT);
    }

    /**
     * {@code segstream run}'s limits. Ingest reads a file as fast as the broker takes it, faster than the
     * segmenter, and a time or size limit would delete frames of a long file before they are segmented;
     * run's broker is deleted when the run ends, so while a file is among its sources frames are kept
     * without a limit. A run of cameras only keeps them as briefly as a service does.
     */
    static TopicRetention forRun(Map<String, String> env, boolean filesAmongSources) {
        return fromEnv(env, filesAmongSources ? new TopicRetention(new Limit(-1, -1), DEFAULT.masks, DEFAULT.stats, DEFAULT.deadLetters)
                : DEFAULT);
    }

    static TopicRetention fromEnv(Map<String, String> env, TopicRetention defaults) {
        return new TopicRetention(limit(env, "FRAMES", defaults.frames), limit(env, "MASKS", defaults.masks),
                limit(env, "STATS", defaults.stats), limit(env, "DEAD_LETTERS", defaults.deadLetters));
    }

    private static Limit limit(Map<String, String> env, String topic, Limit defaults) {
        String msName = "SEGSTREAM_" + topic + "_RETENTION_MS";
        String bytesName = "SEGSTREAM_" + topic + "_RETENTION_BYTES";
        long ms = number(env, msName, defaults.ms());
        long bytes = number(env, bytesName, defaults.bytes());
        try {
            return new Limit(ms, bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(msName + "/" + bytesName + ": " + e.getMessage(), e);
        }
    }

    private static long number(Map<String, String> env, String name, long defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is '" + value + "', expected a whole number (-1: no limit)");
        }
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
