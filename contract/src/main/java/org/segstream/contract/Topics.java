package org.segstream.contract;

import java.util.List;
import org.segstream.config.Setting;
import org.segstream.config.Settings;

/**
 * The names of segstream's topics. They are a public API: see docs/topics.md.
 * Every topic is keyed by stream id (UTF-8), so one camera's records stay in order on one partition.
 */
public record Topics(String frames, String masks, String deadLetters, String stats) {

    public static final String DEFAULT_FRAMES = "segstream.frames";
    public static final String DEFAULT_MASKS = "segstream.masks";
    public static final String DEFAULT_DEAD_LETTERS = "segstream.dead-letters";
    public static final String DEFAULT_STATS = "segstream.stats";

    /** The largest JPEG frame ingest sends, in bytes (8 MiB: a 4K frame at high quality fits); it lowers the quality of a larger one. */
    public static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;

    /**
     * The largest record on any segstream topic and in the segmenter's changelog, in bytes: a frame of
     * {@link #MAX_FRAME_BYTES} with 1 MiB to spare for its headers and batch overhead. Topics are created
     * with it as {@code max.message.bytes}, and the clients that write or fetch whole frames are sized to it.
     */
    public static final int MAX_RECORD_BYTES = MAX_FRAME_BYTES + 1024 * 1024;

    public static final Setting<String> FRAMES_TOPIC = Setting.text("SEGSTREAM_FRAMES_TOPIC", DEFAULT_FRAMES);
    public static final Setting<String> MASKS_TOPIC = Setting.text("SEGSTREAM_MASKS_TOPIC", DEFAULT_MASKS);
    public static final Setting<String> DEAD_LETTERS_TOPIC = Setting.text("SEGSTREAM_DEAD_LETTERS_TOPIC", DEFAULT_DEAD_LETTERS);
    public static final Setting<String> STATS_TOPIC = Setting.text("SEGSTREAM_STATS_TOPIC", DEFAULT_STATS);
    public static final List<Setting<?>> SETTINGS = List.of(FRAMES_TOPIC, MASKS_TOPIC, DEAD_LETTERS_TOPIC, STATS_TOPIC);

    public static Topics defaults() {
        return new Topics(DEFAULT_FRAMES, DEFAULT_MASKS, DEFAULT_DEAD_LETTERS, DEFAULT_STATS);
    }

    /** Topic names from SEGSTREAM_FRAMES_TOPIC, SEGSTREAM_MASKS_TOPIC, SEGSTREAM_DEAD_LETTERS_TOPIC and SEGSTREAM_STATS_TOPIC. */
    public static Topics from(Settings settings) {
        return new Topics(settings.get(FRAMES_TOPIC), settings.get(MASKS_TOPIC), settings.get(DEAD_LETTERS_TOPIC), settings.get(STATS_TOPIC));
    }
}
