package org.segstream.contract;

import java.util.Map;

/**
 * The names of segstream's topics. They are a public API: see docs/topics.md.
 * Every topic is keyed by stream id (UTF-8), so one camera's records stay in order on one partition.
 */
public record Topics(String frames, String masks, String deadLetters, String stats) {

    public static final String DEFAULT_FRAMES = "segstream.frames";
    public static final String DEFAULT_MASKS = "segstream.masks";
    public static final String DEFAULT_DEAD_LETTERS = "segstream.dead-letters";
    public static final String DEFAULT_STATS = "segstream.stats";

    /**
     * The largest record on any segstream topic and in the segmenter's changelog, in bytes (9 MiB: a 4K
     * JPEG fits, ingest never sends a frame over 8 MiB): topics are created with it as
     * {@code max.message.bytes}, and the clients that write or fetch whole frames are sized to it.
     */
    public static final int MAX_RECORD_BYTES = 9 * 1024 * 1024;

    public static Topics defaults() {
        return new Topics(DEFAULT_FRAMES, DEFAULT_MASKS, DEFAULT_DEAD_LETTERS, DEFAULT_STATS);
    }

    /** Topic names from SEGSTREAM_FRAMES_TOPIC, SEGSTREAM_MASKS_TOPIC, SEGSTREAM_DEAD_LETTERS_TOPIC and SEGSTREAM_STATS_TOPIC. */
    public static Topics fromEnv(Map<String, String> env) {
        return new Topics(
                env.getOrDefault("SEGSTREAM_FRAMES_TOPIC", DEFAULT_FRAMES),
                env.getOrDefault("SEGSTREAM_MASKS_TOPIC", DEFAULT_MASKS),
                env.getOrDefault("SEGSTREAM_DEAD_LETTERS_TOPIC", DEFAULT_DEAD_LETTERS),
                env.getOrDefault("SEGSTREAM_STATS_TOPIC", DEFAULT_STATS));
    }
}
