package org.segstream.segmenter;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.segstream.contract.KafkaClientLag;
import org.segstream.contract.Topics;
import org.segstream.segmenter.model.ModelDescriptor;
import org.segstream.segmenter.model.SegmentationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segmenter service: a Kafka Streams application that turns the frames topic into the masks
 * topic. Instances with the same application id share the partitions (scale out by starting more).
 */
public final class SegmenterApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SegmenterApp.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private final SegmentationModel model;
    private final InferenceThreads inference;
    private final KafkaStreams streams;
    private final SegmenterStats stats;
    private final StreamsHealth health;

    private SegmenterApp(SegmentationModel model, InferenceThreads inference, KafkaStreams streams, SegmenterStats stats,
                         StreamsHealth health) {
        this.model = model;
        this.inference = inference;
        this.streams = streams;
        this.stats = stats;
        this.health = health;
    }

    /** Loads and checks the model, starts the topology and waits until it is RUNNING. */
    public static SegmenterApp start(SegmenterConfig config) throws IOException {
        return start(config, new PrometheusRegistry());
    }

    /** As {@link #start(SegmenterConfig)}, with the metrics registered in {@code registry} (the process's). */
    public static SegmenterApp start(SegmenterConfig config, PrometheusRegistry registry) throws IOException {
        // With several runs at once on the CPU, a second session on every thread serves a batch that runs alone.
        SegmentationModel model = SegmentationModel.load(ModelDescriptor.read(config.model()), config.device(),
                config.inference().cpuThreadsPerRun(), config.intraOpThreads(), config.inference().spinWait());
        var stats = new SegmenterStats(registry);
        stats.device(model.provider());
        warmUp(model, config);
        // The runs at once are the instance's: shared out among its stream threads.
        int runs = config.inference().runsOn(model.provider());
        var inference = InferenceThreads.ownThreads(Math.max(1, runs / config.streamThreads()));
        var frames = new KafkaFrameReader(config.bootstrapServers(), config.topics().frames(), config.kafka());
        KafkaStreams streams = new KafkaStreams(SegmenterTopology.build(config, model, stats, inference, frames), streamsProperties(config));
        stats.lagFrom(() -> KafkaClientLag.maxRecords(streams.metrics()), registry);
        var running = new CountDownLatch(1);
        var health = new StreamsHealth();
        streams.setStateListener((now, before) -> {
            health.stateChanged(now, before);
            // RUNNING, or a failure while starting (a missing topic, a dead thread): either way stop waiting.
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.PENDING_ERROR || now == KafkaStreams.State.ERROR) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(error -> {
            // A record's failure never gets here (it is dead-lettered); this is Kafka's or a bug. Replacing the thread
            // would fail again on the same input, so the instance stops and says so (healthy(), failure()).
            health.threadFailed(error);
            log.error("segmenter stream thread failed; stopping this instance (its partitions move to the others)", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        awaitRunning(streams, running, inference, model, config);
        log.info("segmenter running: model {} on {}, {} run(s) at once, batch size {}, max wait {} ms, {}", model.descriptor().label(),
                model.provider(), runs, config.batchSize(), config.batchMaxWaitMs(), config.processingGuarantee());
        return new SegmenterApp(model, inference, streams, stats, health);
    }

    /** Waits for RUNNING; on a failure or timeout closes what start() opened, in order, and says why. */
    private static void awaitRunning(KafkaStreams streams, CountDownLatch running, InferenceThreads inference, SegmentationModel model,
                                     SegmenterConfig config) {
        boolean settled;
        try {
            settled = running.await(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the segmenter", e);
        }
        if (settled && streams.state() == KafkaStreams.State.RUNNING) {
            return;
        }
        streams.close(Duration.ofSeconds(10));
        inference.close();
        model.close();
        throw new IllegalStateException(settled
                ? "the segmenter failed while starting (state " + streams.state() + "); its log says why (is the topic "
                        + config.topics().frames() + " there?)"
                : "the segmenter did not reach RUNNING within " + STARTUP_TIMEOUT.toSeconds() + " s (state " + streams.state()
                        + "); is the broker at " + config.bootstrapServers() + " reachable?");
    }

    /**
     * Warms the session (kernels, the first allocations) before the first frame. With a fixed model
     * input the real batch shape is known, so a full batch at that size is run; with native sizes it is
     * not, and one 640x360 frame is run instead: ONNX Runtime keeps what a warm-up allocates, and a full
     * batch at a size the cameras never send cost up to 2.4 GB of resident memory at batch 32.
     */
    private static void warmUp(SegmentationModel model, SegmenterConfig config) throws IOException {
        boolean known = !config.modelInput().isNative();
        int width = known ? config.modelInput().width() : 640;
        int height = known ? config.modelInput().height() : 360;
        int batch = known ? config.batchSize() : 1;
        try {
            long ms = model.warmUp(batch, width, height);
            log.info("warm-up: a batch of {} at {}x{} took {} ms on {}", batch, width, height, ms, model.provider());
        } catch (ai.onnxruntime.OrtException | RuntimeException e) {
            model.close();
            throw new IOException("the model failed its warm-up inference at " + width + "x" + height + ": " + e.getMessage(), e);
        }
    }

    /** Our defaults, then the user's pass-through properties on top. */
    static Properties streamsProperties(SegmenterConfig config) {
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_RECORD_BYTES);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");
        // The pending-frames store's cache (see SegmenterTopology): its entries are frame positions, a few bytes each.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 4L * 1024 * 1024);
        // Inference runs on its own thread (InferenceRunner): a stream thread waiting in poll() for records sees a
        // finished batch only when poll returns, so it waits briefly (default 100 ms, which a mask would wait out).
        props.put(StreamsConfig.POLL_MS_CONFIG, 10L);
        // Live masks, fresh file frames' masks and the last mask of a backlog ask for their commit at once
        // (SegmentProcessor); the masks of a backlog are committed this often: fewer transactions for the broker, and
        // for the stream thread to wait on.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 500L);
        // The topology has no global store; saying so keeps Kafka Streams from warning at every start that its
        // processing exception handler does not cover a global thread. Twice: the partition assignor builds its own
        // StreamsConfig from the main consumer's settings, and warns too unless they carry it.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        // A stream thread polls again only once it has processed every record the last poll gave it, and the consumer
        // hands over one partition's fetched records before the next partition's. Small polls and small fetches keep a
        // file backlog from holding a camera's records back: they wait behind at most one small chunk of the file.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 50);
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 256 * 1024);
        for (Map.Entry<String, Object> entry : config.kafka().entrySet()) {
            props.put(entry.getKey(), entry.getValue());
        }
        return props;
    }

    public SegmenterStats stats() {
        return stats;
    }

    public String device() {
        return model.provider();
    }

    /** The model's name and version, as its descriptor gives them. */
    public ModelDescriptor modelDescriptor() {
        return model.descriptor();
    }

    /**
     * False once the instance has stopped working by itself: a stream thread died (the uncaught-exception
     * handler saw it and shuts the client down) or Kafka Streams left CREATED/REBALANCING/RUNNING without
     * {@link #close()}. Also false once closed. For the health path (503) and for the process to exit non-zero.
     */
    public boolean healthy() {
        return health.healthy();
    }

    /**
     * Why the instance stopped working: the exception that killed a stream thread, or an
     * IllegalStateException naming the state Kafka Streams went to; null while it works (and after a
     * {@link #close()} that was asked for).
     */
    public Throwable failure() {
        return health.failure();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        health.closing();
        streams.close(Duration.ofSeconds(30));
        inference.close(); // before the model: a session is not closed under a running batch
        model.close();
    }
}
