package org.segstream.contract;

import java.util.List;
import java.util.Map;

/**
 * segstream's topics, a public API (docs/topics.md). The static {@link Topic}s are the registry: default
 * name, key and value Serdes, documented configs ({@code Topics.FRAMES.valueSerde()}). An instance holds the
 * names one deployment uses (each can be renamed by its variable, e.g. SEGSTREAM_FRAMES_TOPIC).
 */
public record Topics(String frames, String masks, String deadLetters, String stats) {
    /**
     * The largest record on any segstream topic and in the segmenter's changelog, in bytes (9 MiB: a 4K
     * JPEG fits, ingest never sends a frame over 8 MiB): topics are created with it as
     * {@code max.message.bytes}, and the clients that write or fetch whole frames are sized to it.
     */
    public static final int MAX_RECORD_BYTES = 9 * 1024 * 1024;

    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 24 * HOUR_MS;
    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;

    /** Frames from ingest: JPEG or end records; kept briefly (a frame is tens of KB, at every camera's rate). */
    public static final Topic<FramesTopicRecord> FRAMES =
            new Topic<>("segstream.frames", "SEGSTREAM_FRAMES_TOPIC", TopicSerdes.frames(), HOUR_MS, GIB);
    /** Masks, shed markers and end records from the segmenter, written in transactions. */
    public static final Topic<MasksTopicRecord> MASKS =
            new Topic<>("segstream.masks", "SEGSTREAM_MASKS_TOPIC", TopicSerdes.masks(), DAY_MS, 2 * GIB);
    /** Per-frame class statistics (JSON), in the same transactions as the masks. */
    public static final Topic<FrameStats> STATS =
            new Topic<>("segstream.stats", "SEGSTREAM_STATS_TOPIC", TopicSerdes.stats(), DAY_MS, 256 * MIB);
    /** Frames-topic records the segmenter refused, with the reason. */
    public static final Topic<DeadLetter> DEAD_LETTERS =
            new Topic<>("segstream.dead-letters", "SEGSTREAM_DEAD_LETTERS_TOPIC", TopicSerdes.deadLetters(), 7 * DAY_MS, GIB);
    public static final List<Topic<?>> ALL = List.of(FRAMES, MASKS, DEAD_LETTERS, STATS);

    public static Topics defaults() {
        return new Topics(FRAMES.name(), MASKS.name(), DEAD_LETTERS.name(), STATS.name());
    }

    /** Topic names from SEGSTREAM_FRAMES_TOPIC, SEGSTREAM_MASKS_TOPIC, SEGSTREAM_DEAD_LETTERS_TOPIC and SEGSTREAM_STATS_TOPIC. */
    public static Topics fromEnv(Map<String, String> env) {
        return new Topics(nameOf(FRAMES, env), nameOf(MASKS, env), nameOf(DEAD_LETTERS, env), nameOf(STATS, env));
    }

    private static String nameOf(Topic<?> topic, Map<String, String> env) {
        return env.getOrDefault(topic.nameVariable(), topic.name());
    }

    /** This deployment's name of {@code topic}. */
    public String nameOf(Topic<?> topic) {
        if (topic == FRAMES) {
            return frames;
        }
        if (topic == MASKS) {
            return masks;
        }
        return topic == STATS ? stats : deadLetters;
    }
}
