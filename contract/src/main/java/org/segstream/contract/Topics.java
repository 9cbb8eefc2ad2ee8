package org.segstream.contract;

import java.util.List;
import org.segstream.config.Setting;
import org.segstream.config.Settings;

/**
 * segstream's topics, a public API (docs/topics.md). The static {@link Topic}s are the registry: default
 * name, key and value Serdes, documented configs ({@code Topics.FRAMES.valueSerde()}). An instance holds the
 * names one deployment uses (each can be renamed by its variable, e.g. SEGSTREAM_FRAMES_TOPIC).
 */
public record Topics(String frames, String masks, String deadLetters, String stats) {

    /** The largest JPEG frame ingest sends, in bytes (8 MiB: a 4K frame at high quality fits); it lowers the quality of a larger one. */
    public static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;

    /**
     * The largest record on any segstream topic and in the segmenter's changelog, in bytes: a frame of
     * {@link #MAX_FRAME_BYTES} with 1 MiB to spare for its headers and batch overhead. Topics are created
     * with it as {@code max.message.bytes}, and the clients that write or fetch whole frames are sized to it.
     */
    public static final int MAX_RECORD_BYTES = MAX_FRAME_BYTES + 1024 * 1024;

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

    public static final String DEFAULT_FRAMES = FRAMES.name();
    public static final String DEFAULT_MASKS = MASKS.name();
    public static final String DEFAULT_DEAD_LETTERS = DEAD_LETTERS.name();
    public static final String DEFAULT_STATS = STATS.name();

    public static final Setting<String> FRAMES_TOPIC = nameSetting(FRAMES);
    public static final Setting<String> MASKS_TOPIC = nameSetting(MASKS);
    public static final Setting<String> DEAD_LETTERS_TOPIC = nameSetting(DEAD_LETTERS);
    public static final Setting<String> STATS_TOPIC = nameSetting(STATS);
    public static final List<Setting<?>> SETTINGS = List.of(FRAMES_TOPIC, MASKS_TOPIC, DEAD_LETTERS_TOPIC, STATS_TOPIC);

    public static Topics defaults() {
        return new Topics(FRAMES.name(), MASKS.name(), DEAD_LETTERS.name(), STATS.name());
    }

    /** Topic names from SEGSTREAM_FRAMES_TOPIC, SEGSTREAM_MASKS_TOPIC, SEGSTREAM_DEAD_LETTERS_TOPIC and SEGSTREAM_STATS_TOPIC. */
    public static Topics from(Settings settings) {
        return new Topics(settings.get(FRAMES_TOPIC), settings.get(MASKS_TOPIC), settings.get(DEAD_LETTERS_TOPIC), settings.get(STATS_TOPIC));
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

    private static Setting<String> nameSetting(Topic<?> topic) {
        return Setting.text(topic.nameVariable(), topic.name());
    }
}
