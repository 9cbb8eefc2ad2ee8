package org.segstream.segmenter;

import java.nio.file.Path;
import java.util.List;
import org.segstream.config.KafkaConnection;
import org.segstream.config.Setting;
import org.segstream.config.Settings;
import org.segstream.contract.Topics;
import org.segstream.segmenter.model.Device;

/** The segmenter's environment variables, each with its default and what it takes (README.md lists them). */
public final class SegmenterSettings {
    public static final Setting<String> APPLICATION_ID = Setting.text("SEGSTREAM_APPLICATION_ID", SegmenterConfig.DEFAULT_APPLICATION_ID);
    public static final Setting<Path> MODEL = Setting.path("SEGSTREAM_MODEL", SegmenterConfig.DEFAULT_MODEL);
    public static final Setting<Device> DEVICE = Setting.of("SEGSTREAM_DEVICE", Device.AUTO, "one of auto, cpu, cuda", Device::parse);
    public static final Setting<Integer> INTRA_OP_THREADS = Setting.wholeNumber("SEGSTREAM_INTRA_OP_THREADS",
            Runtime.getRuntime().availableProcessors(), 1, 1024);
    /** ONNX Runtime's busy-waiting pool threads (its own default), for a machine that runs the segmenter alone. */
    public static final Setting<Boolean> ORT_SPIN = Setting.flag("SEGSTREAM_ORT_SPIN", false);
    public static final Setting<Integer> INFERENCE_RUNS = Setting.of("SEGSTREAM_INFERENCE_RUNS", SegmenterConfig.Inference.AUTO_RUNS,
            "auto or a whole number from 1 to 64", text -> autoOr(text, 64));
    public static final Setting<InputSizing> MODEL_INPUT = Setting.of("SEGSTREAM_MODEL_INPUT", InputSizing.NATIVE,
            "native or WxH (e.g. 640x360)", InputSizing::parse);
    public static final Setting<Integer> BATCH_SIZE = Setting.wholeNumber("SEGSTREAM_BATCH_SIZE", SegmenterConfig.DEFAULT_BATCH_SIZE,
            1, SegmenterConfig.MAX_BATCH_SIZE);
    public static final Setting<Long> BATCH_MAX_WAIT_MS = Setting.longNumber("SEGSTREAM_BATCH_MAX_WAIT_MS",
            SegmenterConfig.DEFAULT_BATCH_MAX_WAIT_MS, 0, Long.MAX_VALUE);
    public static final Setting<Long> MAX_FRAME_AGE_MS = Setting.longNumber("SEGSTREAM_MAX_FRAME_AGE_MS",
            SegmenterConfig.DEFAULT_MAX_FRAME_AGE_MS, 1, Long.MAX_VALUE);
    public static final Setting<Integer> LIVE_BATCH_SIZE = Setting.of("SEGSTREAM_LIVE_BATCH_SIZE", SegmenterConfig.Batching.AUTO_LIVE_BATCH,
            "auto or a whole number from 1 to " + SegmenterConfig.MAX_BATCH_SIZE, text -> autoOr(text, SegmenterConfig.MAX_BATCH_SIZE));
    public static final Setting<Boolean> LIVE_FIRST = Setting.flag("SEGSTREAM_LIVE_FIRST", SegmenterConfig.DEFAULT_LIVE_FIRST);
    public static final Setting<String> PROCESSING_GUARANTEE = Setting.oneOf("SEGSTREAM_PROCESSING_GUARANTEE",
            SegmenterConfig.EXACTLY_ONCE_V2, SegmenterConfig.EXACTLY_ONCE_V2, SegmenterConfig.AT_LEAST_ONCE);
    public static final Setting<Integer> STREAM_THREADS = Setting.wholeNumber("SEGSTREAM_STREAM_THREADS", 1, 1, 1024);
    // java.io.tmpdir is the JVM's temporary folder ($TMPDIR), not a segstream setting.
    public static final Setting<Path> STATE_DIR = Setting.path("SEGSTREAM_STATE_DIR",
            Path.of(System.getProperty("java.io.tmpdir"), "segstream-state"));
    public static final Setting<Long> MAX_FRAME_PIXELS = Setting.pixels("SEGSTREAM_MAX_FRAME_PIXELS", InputLimits.DEFAULT_MAX_FRAME_PIXELS);
    public static final Setting<Long> MAX_BATCH_PIXELS = Setting.pixels("SEGSTREAM_MAX_BATCH_PIXELS", InputLimits.DEFAULT_MAX_BATCH_PIXELS);
    public static final Setting<Integer> MAX_STREAMS = Setting.wholeNumber("SEGSTREAM_MAX_STREAMS", InputLimits.DEFAULT_MAX_STREAMS,
            1, Integer.MAX_VALUE);
    public static final Setting<Long> STREAM_IDLE_SECONDS = Setting.longNumber("SEGSTREAM_STREAM_IDLE_SECONDS",
            InputLimits.DEFAULT_STREAM_IDLE_MS / 1000, 1, Long.MAX_VALUE / 1000);
    public static final Setting<Integer> MAX_STREAM_LABELS = Setting.wholeNumber("SEGSTREAM_MAX_STREAM_LABELS",
            InputLimits.DEFAULT_MAX_STREAM_LABELS, 0, Integer.MAX_VALUE);

    public static final List<Setting<?>> ALL = List.of(APPLICATION_ID, MODEL, DEVICE, INTRA_OP_THREADS, ORT_SPIN, INFERENCE_RUNS, MODEL_INPUT,
            BATCH_SIZE, BATCH_MAX_WAIT_MS, MAX_FRAME_AGE_MS, LIVE_FIRST, LIVE_BATCH_SIZE, PROCESSING_GUARANTEE, STREAM_THREADS, STATE_DIR,
            MAX_FRAME_PIXELS, MAX_BATCH_PIXELS, MAX_STREAMS, STREAM_IDLE_SECONDS, MAX_STREAM_LABELS);

    private SegmenterSettings() {
    }

    /** "auto" (0) or a whole number from 1 to {@code max}. */
    private static int autoOr(String text, int max) {
        if (text.equalsIgnoreCase("auto")) {
            return 0;
        }
        int value = Integer.parseInt(text);
        if (value < 1 || value > max) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    static SegmenterConfig bind(Settings settings, KafkaConnection kafka) {
        var inference = new SegmenterConfig.Inference(settings.get(MODEL), settings.get(DEVICE), settings.get(INTRA_OP_THREADS),
                settings.get(MODEL_INPUT), settings.get(ORT_SPIN), settings.get(INFERENCE_RUNS));
        var batching = new SegmenterConfig.Batching(settings.get(BATCH_SIZE), settings.get(BATCH_MAX_WAIT_MS),
                settings.get(MAX_FRAME_AGE_MS), settings.get(LIVE_FIRST), settings.get(LIVE_BATCH_SIZE));
        var processing = new SegmenterConfig.Processing(settings.get(APPLICATION_ID), settings.get(PROCESSING_GUARANTEE),
                settings.get(STREAM_THREADS), settings.get(STATE_DIR));
        var limits = new InputLimits(settings.get(MAX_FRAME_PIXELS), settings.get(MAX_BATCH_PIXELS), settings.get(MAX_STREAMS),
                1000 * settings.get(STREAM_IDLE_SECONDS), settings.get(MAX_STREAM_LABELS));
        return new SegmenterConfig(kafka.bootstrapServers(), Topics.from(settings), inference, batching, processing, limits,
                kafka.clientProperties());
    }
}
