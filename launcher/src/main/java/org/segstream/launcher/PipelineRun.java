package org.segstream.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.contract.Topics;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.ingest.IngestJob;
import org.segstream.ingest.IngestMetrics;
import org.segstream.ingest.IngestResult;
import org.segstream.ingest.SourceOptions;
import org.segstream.ingest.SourceSpec;
import org.segstream.segmenter.SegmenterApp;
import org.segstream.segmenter.InputSizing;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.segmenter.SegmenterStats;
import org.segstream.segmenter.model.Device;
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
final class PipelineRun {
    private static final Logger log = LoggerFactory.getLogger(PipelineRun.class);
    /** Give up when the sink has made no progress for this long. */
    private static final long STALL_NANOS = 180_000_000_000L;

    record Options(List<String> sources, Path outDir, Path model, int batchSize, boolean writeMasks, int partitions, Device device,
                   int metricsPort, int livePort, boolean annotate) {
        /** Without a metrics endpoint or live page (tests run several pipelines at once), no legend or caption. */
        Options(List<String> sources, Path outDir, Path model, int batchSize, boolean writeMasks, int partitions, Device device) {
            this(sources, outDir, model, batchSize, writeMasks, partitions, device, -1, -1, false);
        }
    }

    /**
     * What the benchmark varies between pipelines on one broker. A non-empty {@code namespace} gives the
     * run its own topics and segmenter application id (so its own changelog), so runs on one broker do not
     * see each other's records. {@link #DEFAULT} is what {@code run} and {@code demo} use.
     */
    record Tuning(String namespace, SourceOptions sourceOptions, long batchMaxWaitMs, int intraOpThreads, Probe probe) {
        static final Tuning DEFAULT = new Tuning("", SourceOptions.DEFAULT, SegmenterConfig.DEFAULT_BATCH_MAX_WAIT_MS,
                Runtime.getRuntime().availableProcessors(), Probe.NONE);

        Topics topics() {
            Topics defaults = Topics.defaults();
            if (namespace.isEmpty()) {
                return defaults;
            }
            return new Topics(inNamespace(defaults.frames()), inNamespace(defaults.masks()), inNamespace(defaults.deadLetters()),
                    inNamespace(defaults.stats()));
        }

        String segmenterApplicationId() {
            return namespace.isEmpty() ? SegmenterConfig.DEFAULT_APPLICATION_ID : SegmenterConfig.DEFAULT_APPLICATION_ID + "-" + namespace;
        }

        /** Each namespace's sink in its own consumer group, as each has its own segmenter application id. */
        String sinkGroupId() {
            return namespace.isEmpty() ? SinkConfig.DEFAULT_GROUP_ID : SinkConfig.DEFAULT_GROUP_ID + "-" + namespace;
        }

        /** "segstream.frames" becomes "segstream.NAMESPACE.frames". */
        private String inNamespace(String topic) {
            return topic.replaceFirst("^segstream\\.", "segstream." + namespace + ".");
        }
    }

    /** Told when the services are up and ingest starts, and when the sink has drained every source (before anything closes). */
    interface Probe {
        Probe NONE = new Probe() {
        };

        default void ingestStarting() {
        }

        default void drained() {
        }
    }

    /**
     * The outcome: the summary, whether any source could be read, the end-to-end latency of every frame
     * written, and the signal that stopped the run early (null: none).
     */
    record Outcome(RunSummary summary, boolean anySourceRead, AllStreamsLatency latencies, String stoppedBy) {
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
                return runOn(broker.bootstrapServers(), options, Tuning.DEFAULT, out, stop);
            }
        }
    }

    /** Runs the pipeline against the broker at {@code bootstrapServers} (topics are created if missing). */
    static Outcome runOn(String bootstrapServers, Options options, PrintStream out) throws Exception {
        return runOn(bootstrapServers, options, Tuning.DEFAULT, out, new ServiceLifecycle());
    }

    /** As {@link #runOn(String, Options, PrintStream)}, stopped early by {@code stop} (tests). */
    static Outcome runOn(String bootstrapServers, Options options, PrintStream out, ServiceLifecycle stop) throws Exception {
        return runOn(bootstrapServers, options, Tuning.DEFAULT, out, stop);
    }

    /** As {@link #runOn(String, Options, PrintStream)}, with the benchmark's {@code tuning}. */
    static Outcome runOn(String bootstrapServers, Options options, Tuning tuning, PrintStream out) throws Exception {
        return runOn(bootstrapServers, options, tuning, out, new ServiceLifecycle());
    }

    private static Outcome runOn(String bootstrapServers, Options options, Tuning tuning, PrintStream out, ServiceLifecycle stop)
            throws Exception {
        List<SourceSpec> sources = new ArrayList<>();
        List<RunSummary.Row> rows = new ArrayList<>();
        for (String argument : options.sources()) {
            try {
                SourceSpec source = SourceSpec.parse(argument);
                sources.add(tuning.sourceOptions().equals(SourceOptions.DEFAULT) ? source : source.withOptions(tuning.sourceOptions()));
            } catch (IllegalArgumentException e) {
                log.error("source '{}': {}", argument, e.getMessage());
                rows.add(RunSummary.Row.unreadable(argument, argument, e.getMessage()));
            }
        }
        Files.createDirectories(options.outDir());
        Topics topics = tuning.topics();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            boolean files = sources.stream().anyMatch(source -> source.kind() != org.segstream.contract.SourceKind.LIVE);
            TopicSetup.ensure(admin, topics, options.partitions(), (short) 1, TopicRetention.forRun(System.getenv(), files));
        }
        Path stateDir = Files.createTempDirectory("segstream-state-");
        SegmenterConfig segmenterConfig = new SegmenterConfig(bootstrapServers, topics,
                tuning.segmenterApplicationId(), options.model(), options.device(),
                tuning.intraOpThreads(), options.batchSize(), tuning.batchMaxWaitMs(),
                SegmenterConfig.DEFAULT_MAX_FRAME_AGE_MS, InputSizing.NATIVE,
                "exactly_once_v2", 1, stateDir, SegmenterConfig.DEFAULT_MAX_PIXELS, Map.of());
        IngestConfig ingestConfig = IngestConfig.of(bootstrapServers, topics);
        var tracker = new RunTracker();
        var latencies = new AllStreamsLatency();
        LiveView live = startLiveView(options.livePort());
        SinkListener listener = live == null ? SinkListener.all(tracker, latencies) : SinkListener.all(tracker, latencies, live);
        try (MetricsServer metrics = startMetrics(options.metricsPort());
             SegmenterApp segmenter = SegmenterApp.start(segmenterConfig, metrics.registry());
             SinkApp sink = SinkApp.start(SinkConfig.of(bootstrapServers, topics, options.outDir(), options.writeMasks())
                     .withGroupId(tuning.sinkGroupId()).withAnnotations(options.annotate(), options.annotate()), listener,
                     metrics.registry());
             FrameProducer producer = new FrameProducer(ingestConfig)) {
            tuning.probe().ingestStarting();
            long started = System.currentTimeMillis();
            List<IngestResult> results = ingestAll(sources, ingestConfig, producer, new IngestMetrics(metrics.registry()), tracker, stop);
            awaitSink(results, tracker, sink, segmenter);
            tuning.probe().drained();
            rows.addAll(summaryRows(sources, results, segmenter.stats(), tracker, started, options.outDir()));
            var model = segmenter.modelDescriptor();
            var summary = new RunSummary(model.name(), model.version(), segmenter.device(), options.batchSize(), started,
                    System.currentTimeMillis(), rows);
            summary.print(out);
            summary.write(options.outDir().resolve("summary.json"));
            out.println("overlays and summary.json in " + options.outDir().toAbsolutePath());
            if (stop.signal() != null) {
                log.info("stopped by SIG{}: every stream ended, overlays finished, summary written", stop.signal());
            }
            return new Outcome(summary, results.stream().anyMatch(r -> r.framesSent() > 0), latencies, stop.signal());
        } finally {
            if (live != null) {
                live.close();
            }
            deleteQuietly(stateDir);
        }
    }

    /**
     * One row a readable-or-not source, with its sessions: frames in (over every session), segmented, shed
     * and dead-lettered by the segmenter, written by the sink, fps since the run started, latency.
     */
    private static List<RunSummary.Row> summaryRows(List<SourceSpec> sources, List<IngestResult> results, SegmenterStats stats,
                                                    RunTracker tracker, long startedMillis, Path outDir) {
        Map<String, Long> segmented = stats.segmentedByStream();
        Map<String, Long> shed = stats.shedByStream();
        Map<String, Long> deadLettered = stats.deadLettersByStream();
        List<RunSummary.Row> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            IngestResult r = results.get(i);
            String stream = r.stream();
            long written = tracker.written(stream);
            double seconds = Math.max(0.001, (tracker.lastWriteMillis(stream) - startedMillis) / 1000.0);
            List<RunSummary.Session> sessions = r.sessions().stream().map(s -> {
                Path dir = tracker.sessionDir(stream, s.id());
                String output = dir == null ? null : outDir.toAbsolutePath().relativize(dir.toAbsolutePath()).toString();
                return new RunSummary.Session(s.id(), s.source(), s.startedMs(), s.endedMs(), s.frames(),
                        tracker.written(stream, s.id()), s.ended(), output);
            }).toList();
            rows.add(new RunSummary.Row(stream, sources.get(i).redactedLocation(), r.framesSent(), segmented.getOrDefault(stream, 0L),
                    shed.getOrDefault(stream, 0L), deadLettered.getOrDefault(stream, 0L), written,
                    written == 0 ? 0 : written / seconds, tracker.latencyPercentile(stream, 50), tracker.latencyPercentile(stream, 99),
                    r.error(), sessions));
        }
        return rows;
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

    private static List<IngestResult> ingestAll(List<SourceSpec> sources, IngestConfig config, FrameProducer producer,
                                                IngestMetrics metrics, RunTracker tracker, ServiceLifecycle stop) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, sources.size()), r -> {
            Thread t = new Thread(r, "segstream-ingest");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<IngestResult>> futures = new ArrayList<>();
            for (SourceSpec source : sources) {
                var job = new IngestJob(source, config, producer, metrics);
                stop.onStop(job::stop);
                futures.add(pool.submit(job::run));
            }
            List<IngestResult> results = new ArrayList<>();
            for (Future<IngestResult> future : futures) {
                while (true) {
                    try {
                        results.add(future.get(5, TimeUnit.SECONDS));
                        break;
                    } catch (TimeoutException stillRunning) {
                        log.info("ingesting: {} frames written by the sink so far", tracker.totalWritten());
                    }
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until the sink has seen the end of every session that sent frames. */
    private static void awaitSink(List<IngestResult> results, RunTracker tracker, SinkApp sink, SegmenterApp segmenter)
            throws InterruptedException {
        Map<String, String> waiting = new LinkedHashMap<>(); // "stream/session" -> stream
        for (IngestResult r : results) {
            for (var session : r.sessionsWithFrames()) {
                waiting.put(r.stream() + "/" + session.id(), r.stream());
            }
        }
        long lastReport = System.nanoTime();
        while (!waiting.isEmpty()) {
            waiting.keySet().removeIf(key -> tracker.hasEnded(key));
            if (waiting.isEmpty()) {
                return;
            }
            if (sink.failure() != null) {
                throw new IllegalStateException("the sink failed: " + sink.failure().getMessage(), sink.failure());
            }
            if (tracker.nanosSinceProgress() > STALL_NANOS) {
                // Where it stopped: a segmenter that never reached RUNNING or segmented nothing points at the
                // consumer group or the model, one that segmented frames at the masks topic or the sink.
                throw new IllegalStateException("no frame reached the sink for " + STALL_NANOS / 1_000_000_000L
                        + " s; still waiting for " + new java.util.TreeSet<>(waiting.values()) + " (segmenter " + segmenter.state() + ", masks forwarded "
                        + segmenter.stats().segmentedByStream() + ", frames sent " + sentByStream(results) + ")");
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                log.info("waiting for {}: {} frames written so far", new java.util.TreeSet<>(waiting.values()), tracker.totalWritten());
                lastReport = System.nanoTime();
            }
            tracker.awaitChange(200);
        }
    }

    private static Map<String, Long> sentByStream(List<IngestResult> results) {
        Map<String, Long> sent = new java.util.TreeMap<>();
        results.forEach(r -> sent.merge(r.stream(), r.framesSent(), Long::sum));
        return sent;
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
