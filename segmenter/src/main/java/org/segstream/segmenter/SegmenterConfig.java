package org.segstream.segmenter;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.segstream.config.KafkaConnection;
import org.segstream.config.Settings;
import org.segstream.contract.Topics;
import org.segstream.segmenter.model.Device;

/**
 * Segmenter settings, in groups: the model and how it runs ({@link Inference}), how frames are batched
 * and scheduled ({@link Batching}), the Kafka Streams application ({@link Processing}) and the bounds on
 * input ({@link InputLimits}). {@code kafka} holds Kafka Streams and client properties passed through
 * unchanged (security settings included); they win over segstream's defaults. The variables each is
 * read from are declared in {@link SegmenterSettings}.
 */
public record SegmenterConfig(
        String bootstrapServers,
        Topics topics,
        Inference inference,
        Batching batching,
        Processing processing,
        InputLimits limits,
        Map<String, Object> kafka) {

    public static final String DEFAULT_APPLICATION_ID = "segstream-segmenter";
    public static final Path DEFAULT_MODEL = Path.of("models", "fcn8s-slim.json");
    public static final int DEFAULT_BATCH_SIZE = 4;
    public static final int MAX_BATCH_SIZE = 256;
    public static final long DEFAULT_BATCH_MAX_WAIT_MS = 50;
    /**
     * A live frame's deadline: its capture (or ingest) time plus this. One the segmenter cannot meet is shed, as
     * soon as that is predicted; file frames never are. About a second suits live viewing.
     */
    public static final long DEFAULT_MAX_FRAME_AGE_MS = 1000;
    /** Whether live frames go before file frames (files use what capacity is left). */
    public static final boolean DEFAULT_LIVE_FIRST = true;
    public static final String EXACTLY_ONCE_V2 = "exactly_once_v2";
    public static final String AT_LEAST_ONCE = "at_least_once";

    /**
     * The model and how it runs.
     *
     * @param intraOpThreads ONNX Runtime's CPU threads, shared out among the runs at once
     * @param spinWait       whether ONNX Runtime's pool threads busy-wait after a run (its default); off here, as in a
     *                       pipeline that steals the cores JPEG, PNG, Kafka and the encoder need
     * @param runs           batches the model runs at once ({@link #AUTO_RUNS}: chosen by device, see {@link #cpuRuns()})
     */
    public record Inference(Path model, Device device, int intraOpThreads, InputSizing modelInput, boolean spinWait, int runs) {
        /** Runs at once chosen by device: {@link #cpuRuns()} on the CPU, one on a GPU. */
        public static final int AUTO_RUNS = 0;
        /** The most runs at once "auto" picks on the CPU: each holds a batch's activations in memory. */
        static final int MAX_AUTO_CPU_RUNS = 4;

        public Inference {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(modelInput, "modelInput");
            if (intraOpThreads < 1) {
                throw new IllegalArgumentException("intra-op threads " + intraOpThreads + " must be at least 1");
            }
            if (runs < 0) {
                throw new IllegalArgumentException("runs at once " + runs + " is negative");
            }
        }

        /** {@code model} on any device, every core, each frame at its own size, no spinning, runs chosen by device. */
        public static Inference of(Path model) {
            return new Inference(model, Device.AUTO, Runtime.getRuntime().availableProcessors(), InputSizing.NATIVE, false, AUTO_RUNS);
        }

        /**
         * Batches run at once on the CPU: as set (at most one per thread), or with auto one per thread up to
         * {@link #MAX_AUTO_CPU_RUNS}. ONNX Runtime spreads one run over its threads unevenly: on 2 cores one run on
         * 2 threads kept them 74 % busy (21.8 fps at batch 4), two runs at once on one thread each 99 % (28 fps).
         */
        public int cpuRuns() {
            return runs == AUTO_RUNS ? Math.min(intraOpThreads, MAX_AUTO_CPU_RUNS) : Math.min(runs, intraOpThreads);
        }

        /** ONNX Runtime threads of each run on the CPU: the intra-op threads shared out evenly. */
        public int cpuThreadsPerRun() {
            return Math.max(1, intraOpThreads / cpuRuns());
        }

        /** Runs at once on the execution provider in use ({@code "cpu"}, {@code "cuda"}): on a GPU one unless set. */
        public int runsOn(String provider) {
            if ("cpu".equals(provider)) {
                return cpuRuns();
            }
            return runs == AUTO_RUNS ? 1 : runs;
        }

        public Inference withRuns(int newRuns) {
            return new Inference(model, device, intraOpThreads, modelInput, spinWait, newRuns);
        }
    }

    /**
     * How frames become batches.
     *
     * @param batchSize      frames per inference call, across streams
     * @param batchMaxWaitMs a partial batch runs when its oldest frame has waited this long
     * @param maxFrameAgeMs  a live frame's deadline after ingest read it
     * @param liveFirst      live frames before file frames
     * @param liveBatchSize  the most frames of a batch while live cameras send frames ({@link #AUTO_LIVE_BATCH}: one where
     *                       a batch costs as much as its frames one by one, the CPU; else {@code batchSize})
     */
    public record Batching(int batchSize, long batchMaxWaitMs, long maxFrameAgeMs, boolean liveFirst, int liveBatchSize) {
        /** The batch while cameras run chosen by the model: see {@link org.segstream.segmenter.model.InferenceModel#batchingPaysOff()}. */
        public static final int AUTO_LIVE_BATCH = 0;
        public static final Batching DEFAULTS = new Batching(DEFAULT_BATCH_SIZE, DEFAULT_BATCH_MAX_WAIT_MS, DEFAULT_MAX_FRAME_AGE_MS,
                DEFAULT_LIVE_FIRST);

        /** With the batch while cameras run chosen by the model. */
        public Batching(int batchSize, long batchMaxWaitMs, long maxFrameAgeMs, boolean liveFirst) {
            this(batchSize, batchMaxWaitMs, maxFrameAgeMs, liveFirst, AUTO_LIVE_BATCH);
        }

        public Batching {
            if (liveBatchSize < 0 || liveBatchSize > MAX_BATCH_SIZE) {
                throw new IllegalArgumentException("live batch size " + liveBatchSize + " is outside 1.." + MAX_BATCH_SIZE + " (0: auto)");
            }
            if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
                throw new IllegalArgumentException("batch size " + batchSize + " is outside 1.." + MAX_BATCH_SIZE);
            }
            if (maxFrameAgeMs <= 0) {
                throw new IllegalArgumentException("max frame age " + maxFrameAgeMs + " ms must be positive");
            }
            if (batchMaxWaitMs < 0) {
                throw new IllegalArgumentException("batch max wait " + batchMaxWaitMs + " ms is negative");
            }
        }
    }

    /** The Kafka Streams application: its id (consumer group), guarantee, threads and state directory. */
    public record Processing(String applicationId, String processingGuarantee, int streamThreads, Path stateDir) {
        public Processing {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(stateDir, "stateDir");
            if (!processingGuarantee.equals(EXACTLY_ONCE_V2) && !processingGuarantee.equals(AT_LEAST_ONCE)) {
                throw new IllegalArgumentException("processing guarantee '" + processingGuarantee
                        + "' is not " + EXACTLY_ONCE_V2 + " or " + AT_LEAST_ONCE);
            }
            if (streamThreads < 1) {
                throw new IllegalArgumentException("stream threads " + streamThreads + " must be at least 1");
            }
        }

        /** The default application id, exactly_once_v2, one stream thread. */
        public static Processing of(Path stateDir) {
            return new Processing(DEFAULT_APPLICATION_ID, EXACTLY_ONCE_V2, 1, stateDir);
        }
    }

    public SegmenterConfig {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(inference, "inference");
        Objects.requireNonNull(batching, "batching");
        Objects.requireNonNull(processing, "processing");
        Objects.requireNonNull(limits, "limits");
        kafka = Map.copyOf(kafka);
    }

    /** The defaults for {@code model}, with state in {@code stateDir}. */
    public static SegmenterConfig of(String bootstrapServers, Topics topics, Path model, Path stateDir) {
        return new SegmenterConfig(bootstrapServers, topics, Inference.of(model), Batching.DEFAULTS, Processing.of(stateDir),
                InputLimits.defaults(), Map.of());
    }

    /** From the variables of {@link SegmenterSettings} and the topic variables of {@link Topics#from}, on the cluster of {@code kafka}. */
    public static SegmenterConfig from(Settings settings, KafkaConnection kafka) {
        return SegmenterSettings.bind(settings, kafka);
    }

    public Path model() {
        return inference.model();
    }

    public Device device() {
        return inference.device();
    }

    public int intraOpThreads() {
        return inference.intraOpThreads();
    }

    public InputSizing modelInput() {
        return inference.modelInput();
    }

    public int batchSize() {
        return batching.batchSize();
    }

    public long batchMaxWaitMs() {
        return batching.batchMaxWaitMs();
    }

    public long maxFrameAgeMs() {
        return batching.maxFrameAgeMs();
    }

    public boolean liveFirst() {
        return batching.liveFirst();
    }

    public String applicationId() {
        return processing.applicationId();
    }

    public String processingGuarantee() {
        return processing.processingGuarantee();
    }

    public int streamThreads() {
        return processing.streamThreads();
    }

    public Path stateDir() {
        return processing.stateDir();
    }

    /** The largest frame, in pixels, the segmenter decodes ({@link InputLimits#maxFramePixels()}). */
    public long maxPixels() {
        return limits.maxFramePixels();
    }

    public SegmenterConfig withInference(Inference newInference) {
        return new SegmenterConfig(bootstrapServers, topics, newInference, batching, processing, limits, kafka);
    }

    public SegmenterConfig withBatching(Batching newBatching) {
        return new SegmenterConfig(bootstrapServers, topics, inference, newBatching, processing, limits, kafka);
    }

    public SegmenterConfig withProcessing(Processing newProcessing) {
        return new SegmenterConfig(bootstrapServers, topics, inference, batching, newProcessing, limits, kafka);
    }

    public SegmenterConfig withLimits(InputLimits newLimits) {
        return new SegmenterConfig(bootstrapServers, topics, inference, batching, processing, newLimits, kafka);
    }

    public SegmenterConfig withModel(Path newModel) {
        return withInference(new Inference(newModel, device(), intraOpThreads(), modelInput(), inference.spinWait(), inference.runs()));
    }

    /** On {@code device} with {@code threads} ONNX Runtime threads. */
    public SegmenterConfig withDevice(Device newDevice, int threads) {
        return withInference(new Inference(model(), newDevice, threads, modelInput(), inference.spinWait(), inference.runs()));
    }

    public SegmenterConfig withBatchSize(int size) {
        return withBatching(new Batching(size, batchMaxWaitMs(), maxFrameAgeMs(), liveFirst(), batching.liveBatchSize()));
    }

    public SegmenterConfig withLiveFirst(boolean first) {
        return withBatching(new Batching(batchSize(), batchMaxWaitMs(), maxFrameAgeMs(), first, batching.liveBatchSize()));
    }

    public SegmenterConfig withMaxFrameAgeMs(long ms) {
        return withBatching(new Batching(batchSize(), batchMaxWaitMs(), ms, liveFirst(), batching.liveBatchSize()));
    }

    public SegmenterConfig withApplicationId(String id) {
        return withProcessing(new Processing(id, processingGuarantee(), streamThreads(), stateDir()));
    }

    /**
     * The frame limit raised (or lowered) to {@code maxPixels}, and the batch limit raised to it where it is
     * lower, so such a frame can still run alone.
     */
    public SegmenterConfig withMaxFramePixels(long maxPixels) {
        return withLimits(limits.withMaxFramePixels(maxPixels).withMaxBatchPixels(Math.max(maxPixels, limits.maxBatchPixels())));
    }
}
