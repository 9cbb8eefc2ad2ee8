package org.segstream.sink;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.segstream.config.KafkaConnection;
import org.segstream.config.Settings;
import org.segstream.contract.Topics;
import org.segstream.contract.VocClasses;

/**
 * Sink settings, in groups: what it writes ({@link Output}), how overlays look ({@link Overlay}), what it
 * keeps per stream ({@link StreamLimits}), the live page of whoever starts one beside the sink
 * ({@link LiveView#start(LiveViewConfig, StreamLimits)}) and how long recordings are kept
 * ({@link RetentionLimits}). {@code kafka} holds client properties passed through unchanged to both
 * consumers (security settings included); they win over segstream's defaults. The variables each is
 * read from are declared in {@link SinkSettings}.
 */
public record SinkConfig(
        String bootstrapServers,
        Topics topics,
        String groupId,
        Output output,
        Overlay overlay,
        StreamLimits limits,
        LiveViewConfig live,
        RetentionLimits retention,
        Map<String, Object> kafka) {

    public static final String DEFAULT_GROUP_ID = "segstream-sink";

    /**
     * What the sink writes, and how.
     *
     * @param outDir         the output folder
     * @param writeMasks     a mask PNG per frame beside the overlays
     * @param preset         x264's preset
     * @param crf            x264's quality, 0..51
     * @param segmentSeconds live sessions' overlays are cut into segments of this much capture time
     */
    public record Output(Path outDir, boolean writeMasks, String preset, int crf, double segmentSeconds) {
        public static final String DEFAULT_PRESET = "veryfast";
        public static final int DEFAULT_CRF = 23;
        public static final double DEFAULT_SEGMENT_SECONDS = 60;

        public Output {
            Objects.requireNonNull(outDir, "outDir");
            Objects.requireNonNull(preset, "preset");
            if (!(segmentSeconds > 0)) {
                throw new IllegalArgumentException("segment duration " + segmentSeconds + " s must be positive");
            }
            if (crf < 0 || crf > 51) {
                throw new IllegalArgumentException("H.264 quality (crf) " + crf + " is outside 0..51");
            }
        }

        /** Into {@code outDir}, x264's defaults here, a minute a segment. */
        public static Output to(Path outDir, boolean writeMasks) {
            return new Output(outDir, writeMasks, DEFAULT_PRESET, DEFAULT_CRF, DEFAULT_SEGMENT_SECONDS);
        }
    }

    /**
     * How an overlay looks.
     *
     * @param opacity the class colours' opacity, 0..1
     * @param classes the class names coloured (empty: all)
     * @param legend  a legend of the classes present
     * @param caption a caption with stream, seq, fps and latency
     * @param classNames the name of each class index, from the model's descriptor (the VOC palette's names by default)
     */
    public record Overlay(double opacity, Set<String> classes, boolean legend, boolean caption, List<String> classNames) {
        public static final double DEFAULT_OPACITY = 0.5;
        public static final Overlay DEFAULTS = new Overlay(DEFAULT_OPACITY, Set.of(), false, false);

        /** With the VOC palette's class names. */
        public Overlay(double opacity, Set<String> classes, boolean legend, boolean caption) {
            this(opacity, classes, legend, caption, VocClasses.NAMES);
        }

        public Overlay {
            classes = Set.copyOf(classes);
            classNames = List.copyOf(classNames);
            if (!(opacity >= 0 && opacity <= 1)) {
                throw new IllegalArgumentException("overlay opacity " + opacity + " is outside 0..1");
            }
        }
    }

    public SinkConfig {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(overlay, "overlay");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(retention, "retention");
        kafka = Map.copyOf(kafka);
    }

    public static SinkConfig of(String bootstrapServers, Topics topics, Path outDir, boolean writeMasks) {
        return new SinkConfig(bootstrapServers, topics, DEFAULT_GROUP_ID, Output.to(outDir, writeMasks), Overlay.DEFAULTS,
                StreamLimits.DEFAULTS, LiveViewConfig.on(LiveViewConfig.DEFAULT_BIND, LiveViewConfig.DEFAULT_PORT), RetentionLimits.NONE,
                Map.of());
    }

    /** From the variables of {@link SinkSettings} and the topic variables of {@link Topics#from}, on the cluster of {@code kafka}. */
    public static SinkConfig from(Settings settings, KafkaConnection kafka) {
        return SinkSettings.bind(settings, kafka);
    }

    public Path outDir() {
        return output.outDir();
    }

    public boolean writeMasks() {
        return output.writeMasks();
    }

    public String preset() {
        return output.preset();
    }

    public int crf() {
        return output.crf();
    }

    public double segmentSeconds() {
        return output.segmentSeconds();
    }

    public double opacity() {
        return overlay.opacity();
    }

    public Set<String> overlayClasses() {
        return overlay.classes();
    }

    public boolean legend() {
        return overlay.legend();
    }

    public boolean caption() {
        return overlay.caption();
    }

    /** The same settings in another consumer group (another sink, its own committed offsets). */
    public SinkConfig withGroupId(String newGroupId) {
        return new SinkConfig(bootstrapServers, topics, newGroupId, output, overlay, limits, live, retention, kafka);
    }

    /** The same settings with other bounds on per-stream state. */
    public SinkConfig withLimits(StreamLimits newLimits) {
        return new SinkConfig(bootstrapServers, topics, groupId, output, overlay, newLimits, live, retention, kafka);
    }

    /** The same settings with other limits on how long recordings are kept. */
    public SinkConfig withRetention(RetentionLimits newRetention) {
        return new SinkConfig(bootstrapServers, topics, groupId, output, overlay, limits, live, newRetention, kafka);
    }

    /** The same settings with the overlay's legend and caption switched on or off. */
    public SinkConfig withAnnotations(boolean withLegend, boolean withCaption) {
        return new SinkConfig(bootstrapServers, topics, groupId, output,
                new Overlay(opacity(), overlayClasses(), withLegend, withCaption, overlay.classNames()), limits, live, retention, kafka);
    }

    /** The same settings with the classes named as the model's descriptor names them. */
    public SinkConfig withClassNames(List<String> classNames) {
        return new SinkConfig(bootstrapServers, topics, groupId, output,
                new Overlay(opacity(), overlayClasses(), legend(), caption(), classNames), limits, live, retention, kafka);
    }
}
