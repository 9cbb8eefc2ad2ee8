package org.segstream.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.config.KafkaConnection;
import org.segstream.config.Settings;
import org.segstream.contract.Topics;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.ingest.IngestMetrics;
import org.segstream.ingest.IngestResult;
import org.segstream.ingest.SourceOptions;
import org.segstream.ingest.SourceSpec;
import org.segstream.segmenter.SegmenterApp;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.segmenter.model.Device;
import org.segstream.segmenter.model.ModelDescriptor;
import org.segstream.service.MetricsServer;
import org.segstream.service.ServiceLifecycle;
import org.segstream.sink.LiveView;
import org.segstream.sink.SinkApp;
import org.segstream.sink.SinkListener;
import org.segstream.sink.SinkConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code segstream run}: the whole pipeline on one machine. A real Kafka broker (KRaft, child JVM on
 * loopback), the segmenter and the sink in this JVM, one ingest job per source; waits until every
 * readable source has ended and each of its frames has left the sink, then prints the summary.
 */
public final class PipelineRun {
    private static final Logger log = LoggerFactory.getLogger(PipelineRun.class);
    
    /**
     * What to run. {@code namespace} (empty: none) gives the run topics, a segmenter application id and a sink
     * group of its own ("segstream.NAMESPACE.frames", ...), so several runs share one broker without seeing each
     * other's records; {@code sourceDefaults} are the options every source is read with (as a streams file's
     * {@code default.*}); {@code settings}: the variables the run reads (the topics' retention).
     */
    public record Options(List<String> sources, Path outDir, Path model, int batchSize, boolean writeMasks, int partitions, Device device,
                          int metricsPort, int livePort, boolean annotate, String namespace, SourceOptions sourceDefaults,
                          Settings settings) {
        public Options(List<String> sources, Path outDir, Path model, int batchSize, boolean writeMasks, int partitions, Device device,
                       int metricsPort, int livePort, boolean annotate, Settings settings) {
            this(sources, outDir, model, batchSize, writeMasks, partitions, device, metricsPort, livePort, annotate, "",
                    SourceOptions.DEFAULT, settings);
        }

        /** Without a metrics endpoint or live page (tests run several pipelines at once), no legend or caption, no variables. */
        public Options(List<String> sources, Path outDir, Path model, int batchSize, boolean writeMasks, int partitions, Device device) {
            this(sources, outDir, model, batchSize, writeMasks, partitions, device, -1, -1, false, Settings.of(Map.of()));
        }
    }

    /** The outcome: the summary, whether any source could be read, and the signal that stopped the run early (null: none). */
    public record Outcome(RunSummary summary, boolean anySourceRead, String stoppedBy) {
    }

    private PipelineRun() {
    }

    /**
     * Starts an embedded broker, runs the pipeline on it, and stops it. Ctrl-C or SIGTERM stops the
     * sources: every stream gets its end record, the segmenter and sink drain, the overlays are
     * finished and summary.json is written before the broker stops (a second signal quits at once).
     */
    static Outcome run(Options options, PrintStream out) throws Exception {
        try (ServiceLifecycle stop = ServiceLifecycle.install(
                "stopping the sources; finishing the overlays and the summary", null)) {
            log.info("starting a Kafka broker (KRaft) on loopback");
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
                return runOn(broker.bootstrapServers(), options, out, stop, RunListener.NONE);
            }
        }
    }

    /** Runs the pipeline against the broker at {@code bootstrapServers} (topics are created if missing). */
    static Outcome runOn(String bootstrapServers, Options options, PrintStream out) throws Exception {
        return runOn(bootstrapServers, options, out, new ServiceLifecycle(), RunListener.NONE);
    }

    /** As {@link #runOn(String, Options, PrintStream)}, stopped early by {@code stop} (tests). */
    static Outcome runOn(String bootstrapServers, Options options, PrintStream out, ServiceLifecycle stop) throws Exception {
        return runOn(bootstrapServers, options, out, stop, RunListener.NONE);
    }

    /** As {@link #runOn(String, Options, PrintStream)}, watched by {@code listener} (the benchmark measures through it). */
    public static Outcome runOn(String bootstrapServers, Options options, PrintStream out, RunListener listener) throws Exception {
        return runOn(bootstrapServers, options, out, new ServiceLifecycle(), listener);
    }

    /** As {@link #runOn(String, Options, PrintStream, RunListener)}, stopped as SIGTERM would by {@code stop}'s request. */
    public static Outcome runOn(String bootstrapServers, Options options, PrintStream out, ServiceLifecycle stop, RunListener watcher)
            throws Exception {
        List<RunSummary.Row> rows = new ArrayList<>();
        List<SourceSpec> sources = parseSources(options.sources(), options.sourceDefaults(), rows);
        Files.createDirectories(options.outDir());
        var names = new RunNamespace(options.namespace());
        Topics topics = names.topics();
        createTopics(bootstrapServers, topics, options, sources);
        Path stateDir = Files.createTempDirectory("segstream-state-");
        SegmenterConfig segmenterConfig = segmenterConfig(bootstrapServers, topics, options, names.segmenterApplicationId(), stateDir);
        IngestConfig ingestConfig = IngestConfig.of(bootstrapServers, topics);
        var tracker = new RunTracker();
        LiveView live = startLiveView(options.livePort());
        SinkListener listener = live == null ? SinkListener.all(tracker, watcher) : SinkListener.all(tracker, watcher, live);
        try (MetricsServer metrics = startMetrics(options.metricsPort());
             SegmenterApp segmenter = SegmenterApp.start(segmenterConfig, metrics.registry());
             SinkApp sink = SinkApp.start(sinkConfig(bootstrapServers, topics, options, names), listener, metrics.registry());
             FrameProducer producer = new FrameProducer(ingestConfig)) {
            watcher.ingestStarting();
            long started = System.currentTimeMillis();
            List<IngestResult> results = RunIngest.all(sources, ingestConfig, producer, new IngestMetrics(metrics.registry()), tracker, stop);
            RunAccounting.awaitSink(results, tracker, sink, segmenter);
            watcher.drained();
            rows.addAll(RunAccounting.rows(sources, results, segmenter.stats(), tracker, started, options.outDir()));
            RunSummary summary = summarize(segmenter, options, started, rows, out);
            if (stop.signal() != null) {
                log.info("stopped by SIG{}: every stream ended, overlays finished, summary written", stop.signal());
            }
            return new Outcome(summary, results.stream().anyMatch(r -> r.framesSent() > 0), stop.signal());
        } finally {
            if (live != null) {
                live.close();
            }
            deleteQuietly(stateDir);
        }
    }

    /** Prints the table and writes summary.json. */
    private static RunSummary summarize(SegmenterApp segmenter, Options options, long started, List<RunSummary.Row> rows,
                                        PrintStream out) throws java.io.IOException {
        var model = segmenter.modelDescriptor();
        var summary = new RunSummary(model.name(), model.version(), segmenter.device(), options.batchSize(), started,
                System.currentTimeMillis(), rows);
        summary.print(out);
        summary.write(options.outDir().resolve("summary.json"));
        out.println("overlays and summary.json in " + options.outDir().toAbsolutePath());
        return summary;
    }

    /** The sources that parse; a row of its own in {@code rows} for each that does not ({@code run} goes on without it). */
    private static List<SourceSpec> parseSources(List<String> arguments, SourceOptions defaults, List<RunSummary.Row> rows) {
        List<SourceSpec> sources = new ArrayList<>();
        for (String argument : arguments) {
            try {
                SourceSpec source = SourceSpec.parse(argument);
                sources.add(defaults.equals(SourceOptions.DEFAULT) ? source : source.withOptions(defaults));
            } catch (IllegalArgumentException e) {
                log.error("source '{}': {}", argument, e.getMessage());
                rows.add(RunSummary.Row.unreadable(argument, argument, e.getMessage()));
            }
        }
        return sources;
    }

    /** The run's topics, with the run's retention (frames kept without a limit while a file is among the sources). */
    private static void createTopics(String bootstrapServers, Topics topics, Options options, List<SourceSpec> sources)
            throws Exception {
        try (Admin admin = Admin.create(KafkaConnection.plain(bootstrapServers).clientConfig())) {
            boolean files = sources.stream().anyMatch(source -> source.kind() != org.segstream.contract.SourceKind.LIVE);
            TopicSetup.ensure(admin, topics, options.partitions(), (short) 1, TopicRetention.forRun(options.settings(), files));
        }
    }

    private static SegmenterConfig segmenterConfig(String bootstrapServers, Topics topics, Options options, String applicationId,
                                                   Path stateDir) {
        return SegmenterConfig.of(bootstrapServers, topics, options.model(), stateDir)
                .withApplicationId(applicationId)
                .withDevice(options.device(), Runtime.getRuntime().availableProcessors())
                .withBatching(new SegmenterConfig.Batching(options.batchSize(), SegmenterConfig.DEFAULT_BATCH_MAX_WAIT_MS,
                        SegmenterConfig.DEFAULT_MAX_FRAME_AGE_MS, SegmenterConfig.DEFAULT_LIVE_FIRST));
    }

    /** The sink of the run, naming the classes as the model's descriptor does. */
    private static SinkConfig sinkConfig(String bootstrapServers, Topics topics, Options options, RunNamespace names) throws java.io.IOException {
        return SinkConfig.of(bootstrapServers, topics, options.outDir(), options.writeMasks()).withGroupId(names.sinkGroupId())
                .withAnnotations(options.annotate(), options.annotate()).withClassNames(ModelDescriptor.read(options.model()).classes());
    }

    /** The live page on loopback; a busy port costs the page, not the run. */
    private static LiveView startLiveView(int port) {
        if (port < 0) {
            return null;
        }
        try {
            return LiveView.start(org.segstream.sink.LiveViewConfig.on("127.0.0.1", port), org.segstream.sink.StreamLimits.DEFAULTS);
        } catch (java.io.IOException e) {
            log.warn("live view port {} is not available ({}); running without the live page", port, e.getMessage());
            return null;
        }
    }

    /** Metrics on loopback only: `run` is a one-machine tool. A busy port costs the metrics, not the run. */
    private static MetricsServer startMetrics(int port) throws java.io.IOException {
        try {
            return MetricsServer.start("127.0.0.1", port);
        } catch (java.io.IOException e) {
            log.warn("metrics port {} is not available ({}); running without a metrics endpoint", port, e.getMessage());
            return MetricsServer.start("127.0.0.1", -1);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a temp dir; the OS cleans it eventually
        }
    }
}
