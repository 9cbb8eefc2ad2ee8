package org.segstream.sink;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.segstream.contract.Topics;

/**
 * Sink settings. {@code kafka} holds client properties passed through unchanged to both consumers
 * (security settings included); they win over segstream's defaults. {@code limits} bounds what the
 * sink keeps per stream; {@code live} is the live page of whoever starts one beside the sink
 * ({@link LiveView#start(LiveViewConfig, StreamLimits)}).
 */
public record SinkConfig(
        String bootstrapServers,
        Topics topics,
        String groupId,
        Path outDir,
        boolean writeMasks,
        double opacity,
        Set<String> overlayClasses,
        boolean legend,
        boolean caption,
        String preset,
        int crf,
        double segmentSeconds,
        StreamLimits limits,
        LiveViewConfig live,
        RetentionLimits retention,
        Map<String, Object> kafka) {

    public static final String DEFAULT_GROUP_ID = "segstream-sink";

    public SinkConfig {
        kafka = Map.copyOf(kafka);
        java.util.Objects.requireNonNull(limits, "limits");
        java.util.Objects.requireNonNull(live, "live");
        java.util.Objects.requireNonNull(retention, "retention");
        overlayClasses = Set.copyOf(overlayClasses);
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("overlay opacity " + opacity + " is outside 0..1");
        }
        if (!(segmentSeconds > 0)) {
            throw new IllegalArgumentException("segment duration " + segmentSeconds + " s must be positive");
        }
        if (crf < 0 || crf > 51) {
            throw new IllegalArgumentException("H.264 quality (crf) " + crf + " is outside 0..51");
        }
    }

    public static SinkConfig of(String bootstrapServers, Topics topics, Path outDir, boolean writeMasks) {
        return new SinkConfig(bootstrapServers, topics, DEFAULT_GROUP_ID, outDir, writeMasks, 0.5, Set.of(), false, false, "veryfast", 23, 60,
                StreamLimits.DEFAULTS, LiveViewConfig.on(LiveViewConfig.DEFAULT_BIND, LiveViewConfig.DEFAULT_PORT), RetentionLimits.NONE,
                Map.of());
    }

    private static Set<String> classes(String list) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String name : list.split(",")) {
            if (!name.isBlank()) {
                out.add(name.trim());
            }
        }
        return out;
    }

    /** The same settings in another consumer group (another sink, its own committed offsets). */
    public SinkConfig withGroupId(String newGroupId) {
        return new SinkConfig(bootstrapServers, topics, newGroupId, outDir, writeMasks, opacity, overlayClasses, legend, caption,
                preset, crf, segmentSeconds, limits, live, retention, kafka);
    }

    /** The same settings with other bounds on per-stream state. */
    public SinkConfig withLimits(StreamLimits newLimits) {
        return new SinkConfig(bootstrapServers, topics, groupId, outDir, writeMasks, opacity, overlayClasses, legend, caption,
                preset, crf, segmentSeconds, newLimits, live, retention, kafka);
    }

    /** The same settings with other limits on how long recordings are kept. */
    public SinkConfig withRetention(RetentionLimits newRetention) {
        return new SinkConfig(bootstrapServers, topics, groupId, outDir, writeMasks, opacity, overlayClasses, legend, caption,
                preset, crf, segmentSeconds, limits, live, newRetention, kafka);
    }

    /** The same settings with the overlay's legend and caption switched on or off. */
    public SinkConfig withAnnotations(boolean withLegend, boolean withCaption) {
        return new SinkConfig(bootstrapServers, topics, groupId, outDir, writeMasks, opacity, overlayClasses, withLegend, withCaption,
                preset, crf, segmentSeconds, limits, live, retention, kafka);
    }

    /**
     * From KAFKA_BOOTSTRAP_SERVERS (required), SEGSTREAM_OUT_DIR, SEGSTREAM_WRITE_MASKS (true/false),
     * SEGSTREAM_OVERLAY_OPACITY, SEGSTREAM_OVERLAY_CLASSES (comma-separated class names; empty: all),
     * SEGSTREAM_OVERLAY_LEGEND, SEGSTREAM_OVERLAY_CAPTION (true/false), SEGSTREAM_H264_PRESET, SEGSTREAM_H264_CRF, SEGSTREAM_SEGMENT_SECONDS (live
     * streams' overlay segment length), SEGSTREAM_SINK_GROUP_ID, the topic variables of {@link Topics#fromEnv},
     * the limits of {@link StreamLimits#fromEnv}, the live page's settings of {@link LiveViewConfig#fromEnv} and how
     * long recordings are kept ({@link RetentionLimits#fromEnv}).
     */
    public static SinkConfig fromEnv(Map<String, String> env, Map<String, Object> kafka) {
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS is not set");
        }
        return new SinkConfig(
                bootstrap,
                Topics.fromEnv(env),
                env.getOrDefault("SEGSTREAM_SINK_GROUP_ID", DEFAULT_GROUP_ID),
                Path.of(env.getOrDefault("SEGSTREAM_OUT_DIR", "out")),
                Boolean.parseBoolean(env.getOrDefault("SEGSTREAM_WRITE_MASKS", "false")),
                Double.parseDouble(env.getOrDefault("SEGSTREAM_OVERLAY_OPACITY", "0.5")),
                classes(env.getOrDefault("SEGSTREAM_OVERLAY_CLASSES", "")),
                Boolean.parseBoolean(env.getOrDefault("SEGSTREAM_OVERLAY_LEGEND", "false")),
                Boolean.parseBoolean(env.getOrDefault("SEGSTREAM_OVERLAY_CAPTION", "false")),
                env.getOrDefault("SEGSTREAM_H264_PRESET", "veryfast"),
                Integer.parseInt(env.getOrDefault("SEGSTREAM_H264_CRF", "23")),
                Double.parseDouble(env.getOrDefault("SEGSTREAM_SEGMENT_SECONDS", "60")),
                StreamLimits.fromEnv(env),
                LiveViewConfig.fromEnv(env),
                RetentionLimits.fromEnv(env),
                new HashMap<>(kafka));
    }
}
