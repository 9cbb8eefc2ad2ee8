package org.segstream.segmenter;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.segstream.contract.Topics;
import org.segstream.segmenter.model.Device;

/**
 * Segmenter settings. {@code kafka} holds Kafka Streams and client properties passed through
 * unchanged (security settings included); they win over segstream's defaults.
 */
public record SegmenterConfig(
        String bootstrapServers,
        Topics topics,
        String applicationId,
        Path model,
        Device device,
        int intraOpThreads,
        int batchSize,
        long batchMaxWaitMs,
        long maxFrameAgeMs,
        InputSizing modelInput,
        String processingGuarantee,
        int streamThreads,
        Path stateDir,
        InputLimits limits,
        Map<String, Object> kafka,
        boolean liveFirst) {

    public static final String DEFAULT_APPLICATION_ID = "segstream-segmenter";
    public static final Path DEFAULT_MODEL = Path.of("models", "fcn8s-slim.json");
    public static final int DEFAULT_BATCH_SIZE = 4;
    public static final long DEFAULT_BATCH_MAX_WAIT_MS = 50;
    /**
     * A live frame's deadline: its capture (or ingest) time plus this. One the segmenter cannot meet is shed, as
     * soon as that is predicted; file frames never are. About a second suits live viewing.
     */
    public static final long DEFAULT_MAX_FRAME_AGE_MS = 1000;
    /** Whether live frames go before file frames (files use what capacity is left). */
    public static final boolean DEFAULT_LIVE_FIRST = true;
    /** The default {@link InputLimits#maxFramePixels()}. */
    public static final long DEFAULT_MAX_PIXELS = InputLimits.DEFAULT_MAX_FRAME_PIXELS;

    public SegmenterConfig {
        kafka = Map.copyOf(kafka);
        java.util.Objects.requireNonNull(limits, "limits");
        if (batchSize < 1 || batchSize > 256) {
            throw new IllegalArgumentException("batch size " + batchSize + " is outside 1..256");
        }
        if (maxFrameAgeMs <= 0) {
            throw new IllegalArgumentException("max frame age " + maxFrameAgeMs + " ms must be positive");
        }
        if (batchMaxWaitMs < 0) {
            throw new IllegalArgumentException("batch max wait " + batchMaxWaitMs + " ms is negative");
        }
        if (!processingGuarantee.equals("exactly_once_v2") && !processingGuarantee.equals("at_least_once")) {
            throw new IllegalArgumentException("processing guarantee '" + processingGuarantee
                    + "' is not exactly_once_v2 or at_least_once");
        }
    }

    /** Settings with live frames first ({@link #DEFAULT_LIVE_FIRST}). */
    public SegmenterConfig(String bootstrapServers, Topics topics, String applicationId, Path model, Device device,
                           int intraOpThreads, int batchSize, long batchMaxWaitMs, long maxFrameAgeMs, InputSizing modelInput,
                           String processingGuarantee, int streamThreads, Path stateDir, InputLimits limits, Map<String, Object> kafka) {
        this(bootstrapServers, topics, applicationId, model, device, intraOpThreads, batchSize, batchMaxWaitMs, maxFrameAgeMs,
                modelInput, processingGuarantee, streamThreads, stateDir, limits, kafka, DEFAULT_LIVE_FIRST);
    }

    /**
     * Settings with the default {@link InputLimits} but for a frame limit of {@code maxPixels} (the batch
     * limit is raised to it where it is lower).
     */
    public SegmenterConfig(String bootstrapServers, Topics topics, String applicationId, Path model, Device device,
                           int intraOpThreads, int batchSize, long batchMaxWaitMs, long maxFrameAgeMs, InputSizing modelInput,
                           String processingGuarantee, int streamThreads, Path stateDir, long maxPixels, Map<String, Object> kafka) {
        this(bootstrapServers, topics, applicationId, model, device, intraOpThreads, batchSize, batchMaxWaitMs, maxFrameAgeMs,
                modelInput, processingGuarantee, streamThreads, stateDir, InputLimits.defaults().withMaxFramePixels(maxPixels)
                        .withMaxBatchPixels(Math.max(maxPixels, InputLimits.DEFAULT_MAX_BATCH_PIXELS)), kafka);
    }

    /** The largest frame, in pixels, the segmenter decodes ({@link InputLimits#maxFramePixels()}). */
    public long maxPixels() {
        return limits.maxFramePixels();
    }

    public static SegmenterConfig of(String bootstrapServers, Topics topics, Path model, Path stateDir) {
        return new SegmenterConfig(bootstrapServers, topics, DEFAULT_APPLICATION_ID, model, Device.AUTO,
                Runtime.getRuntime().availableProcessors(), DEFAULT_BATCH_SIZE, DEFAULT_BATCH_MAX_WAIT_MS,
                DEFAULT_MAX_FRAME_AGE_MS, InputSizing.NATIVE, "exactly_once_v2", 1, stateDir, InputLimits.defaults(), Map.of());
    }

    public SegmenterConfig withBatchSize(int size) {
        return new SegmenterConfig(bootstrapServers, topics, applicationId, model, device, intraOpThreads, size,
                batchMaxWaitMs, maxFrameAgeMs, modelInput, processingGuarantee, streamThreads, stateDir, limits, kafka, liveFirst);
    }

    public SegmenterConfig withLimits(InputLimits newLimits) {
        return new SegmenterConfig(bootstrapServers, topics, applicationId, model, device, intraOpThreads, batchSize,
                batchMaxWaitMs, maxFrameAgeMs, modelInput, processingGuarantee, streamThreads, stateDir, newLimits, kafka, liveFirst);
    }

    public SegmenterConfig withModel(Path newModel) {
        return new SegmenterConfig(bootstrapServers, topics, applicationId, newModel, device, intraOpThreads, batchSize,
                batchMaxWaitMs, maxFrameAgeMs, modelInput, processingGuarantee, streamThreads, stateDir, limits, kafka, liveFirst);
    }

    public SegmenterConfig withLiveFirst(boolean first) {
        return new SegmenterConfig(bootstrapServers, topics, applicationId, model, device, intraOpThreads, batchSize,
                batchMaxWaitMs, maxFrameAgeMs, modelInput, processingGuarantee, streamThreads, stateDir, limits, kafka, first);
    }

    public SegmenterConfig withMaxFrameAgeMs(long ms) {
        return new SegmenterConfig(bootstrapServers, topics, applicationId, model, device, intraOpThreads, batchSize,
                batchMaxWaitMs, ms, modelInput, processingGuarantee, streamThreads, stateDir, limits, kafka, liveFirst);
    }

    /**
     * From environment variables: KAFKA_BOOTSTRAP_SERVERS (required), SEGSTREAM_MODEL, SEGSTREAM_DEVICE,
     * SEGSTREAM_BATCH_SIZE, SEGSTREAM_BATCH_MAX_WAIT_MS, SEGSTREAM_MAX_FRAME_AGE_MS, SEGSTREAM_MODEL_INPUT (native or WxH), SEGSTREAM_PROCESSING_GUARANTEE,
     * SEGSTREAM_STREAM_THREADS, SEGSTREAM_INTRA_OP_THREADS, SEGSTREAM_STATE_DIR, SEGSTREAM_APPLICATION_ID,
     * the input limits SEGSTREAM_MAX_FRAME_PIXELS and SEGSTREAM_MAX_BATCH_PIXELS (a number, or WxH),
     * SEGSTREAM_MAX_STREAMS, SEGSTREAM_STREAM_IDLE_SECONDS and SEGSTREAM_MAX_STREAM_LABELS (see {@link InputLimits}),
     * SEGSTREAM_LIVE_FIRST (true or false),
     * and the topic variables of {@link Topics#fromEnv}.
     */
    public static SegmenterConfig fromEnv(Map<String, String> env, Map<String, Object> kafka) {
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS is not set");
        }
        return new SegmenterConfig(
                bootstrap,
                Topics.fromEnv(env),
                env.getOrDefault("SEGSTREAM_APPLICATION_ID", DEFAULT_APPLICATION_ID),
                Path.of(env.getOrDefault("SEGSTREAM_MODEL", DEFAULT_MODEL.toString())),
                Device.parse(env.getOrDefault("SEGSTREAM_DEVICE", "auto")),
                intValue(env, "SEGSTREAM_INTRA_OP_THREADS", Runtime.getRuntime().availableProcessors()),
                intValue(env, "SEGSTREAM_BATCH_SIZE", DEFAULT_BATCH_SIZE),
                intValue(env, "SEGSTREAM_BATCH_MAX_WAIT_MS", (int) DEFAULT_BATCH_MAX_WAIT_MS),
                intValue(env, "SEGSTREAM_MAX_FRAME_AGE_MS", (int) DEFAULT_MAX_FRAME_AGE_MS),
                InputSizing.parse(env.getOrDefault("SEGSTREAM_MODEL_INPUT", "native")),
                env.getOrDefault("SEGSTREAM_PROCESSING_GUARANTEE", "exactly_once_v2"),
                intValue(env, "SEGSTREAM_STREAM_THREADS", 1),
                Path.of(env.getOrDefault("SEGSTREAM_STATE_DIR", System.getProperty("java.io.tmpdir") + "/segstream-state")),
                new InputLimits(
                        pixelsValue(env, "SEGSTREAM_MAX_FRAME_PIXELS", InputLimits.DEFAULT_MAX_FRAME_PIXELS),
                        pixelsValue(env, "SEGSTREAM_MAX_BATCH_PIXELS", InputLimits.DEFAULT_MAX_BATCH_PIXELS),
                        intValue(env, "SEGSTREAM_MAX_STREAMS", InputLimits.DEFAULT_MAX_STREAMS),
                        1000L * intValue(env, "SEGSTREAM_STREAM_IDLE_SECONDS", (int) (InputLimits.DEFAULT_STREAM_IDLE_MS / 1000)),
                        intValue(env, "SEGSTREAM_MAX_STREAM_LABELS", InputLimits.DEFAULT_MAX_STREAM_LABELS)),
                new HashMap<>(kafka),
                booleanValue(env, "SEGSTREAM_LIVE_FIRST", DEFAULT_LIVE_FIRST));
    }

    /** A pixel count: a whole number ({@code 8294400}) or a size ({@code 3840x2160}). */
    private static long pixelsValue(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        var size = java.util.regex.Pattern.compile("(\\d{1,6})x(\\d{1,6})").matcher(value.trim());
        try {
            if (size.matches()) {
                return Long.parseLong(size.group(1)) * Long.parseLong(size.group(2));
            }
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is '" + value + "', expected a number of pixels or WxH (e.g. 3840x2160)");
        }
    }

    private static boolean booleanValue(Map<String, String> env, String name, boolean fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(name + " is '" + value + "', expected true or false");
        };
    }

    private static int intValue(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is '" + value + "', expected a whole number");
        }
    }
}
