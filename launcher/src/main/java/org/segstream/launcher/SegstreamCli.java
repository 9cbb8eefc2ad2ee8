package org.segstream.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.ingest.IngestJob;
import org.segstream.ingest.IngestMetrics;
import org.segstream.ingest.IngestResult;
import org.segstream.ingest.SourceSpec;
import org.segstream.contract.Topics;
import org.segstream.contract.VocClasses;
import org.segstream.launcher.verify.DeliveryVerifier;
import org.segstream.scenes.street.SynthClip;
import org.segstream.segmenter.SegmenterApp;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.sink.LiveView;
import org.segstream.sink.SinkApp;
import org.segstream.sink.SinkConfig;
import org.segstream.sink.SinkListener;

/** The {@code ./segstream} command. */
public final class SegstreamCli {
    static final String USAGE = """
            usage: segstream <command> [options]

              demo                          the whole pipeline on a short generated video, output in out/demo
              run [options] SOURCE...       the whole pipeline (embedded Kafka broker) on files or URLs
                  --out DIR                 output directory (default out/run)
                  --model FILE              model descriptor .json or .onnx (default models/fcn8s-slim.json)
                  --batch-size N            frames per inference call (default 4)
                  --device auto|cpu|cuda    inference device (default auto)
                  --partitions N            partitions of the frames and masks topics (default 4)
                  --write-masks             also write DIR/<stream>/masks/<seq>.png
                  --metrics-port N          serve /metrics on 127.0.0.1:N (default 9400; -1: off)
                  --live-port N             the live page on http://127.0.0.1:N/ (default 8080; -1: off)
                  --annotate                draw a class legend and a caption (fps, latency) on the overlays
                SOURCE is a path or URL; name=SOURCE names the stream (default: the file's base name)
              synth --out DIR [--seed S] [--seconds T] [--size WxH] [--fps F]
                                            a labelled street scene: DIR/video.mp4 and DIR/gt/<seq>.png
              bench [--batch-size N] [--no-scaling] [--compute-model M.json]...
                                            bare model vs whole pipeline, latency, scaling tables and
                                            the CPU cost of every stage (tables also in out/bench/)
              ingest [--config FILE] SOURCE...
                                            one service against an external cluster, configured by
              segmenter                     environment variables (KAFKA_BOOTSTRAP_SERVERS, SEGSTREAM_*;
              sink                          see README.md)
              topics [--partitions N] [--replication-factor N]
                                            creates the topics where missing, with their retention
                                            (SEGSTREAM_*_RETENTION_MS/_BYTES), and sets it on those that exist
              verify [--streams PREFIX] [--wait SECONDS]
                                            read_committed accounting of the topics: frames in, masks out,
                                            duplicates, gaps, dead letters, latency (exit 1 on a loss or duplicate)
            """;

    private SegstreamCli() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.getenv());
        } catch (UsageException e) {
            System.err.println("segstream: " + e.getMessage());
            System.err.print(USAGE);
            code = 2;
        } catch (Exception e) {
            System.err.println("segstream: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, Map<String, String> env) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        return switch (args[0]) {
            case "run" -> runPipeline(rest, out, Path.of("out", "run"), false);
            case "demo" -> demo(rest, out);
            case "synth" -> synth(rest, out);
            case "bench" -> Bench.run(rest, out, home());
            case "ingest" -> ingest(rest, env);
            case "segmenter" -> segmenter(env);
            case "sink" -> sink(env);
            case "topics" -> TopicSetup.command(rest, out, env);
            case "verify" -> verify(rest, out, env);
            default -> throw new UsageException("unknown command '" + args[0] + "'");
        };
    }

    private static int runPipeline(List<String> args, PrintStream out, Path defaultOut, boolean demo) throws Exception {
        RunOptions options = RunOptions.parse(args, defaultOut, home());
        List<String> sources = new ArrayList<>(options.sources());
        SynthClip.Summary scene = null;
        if (demo) {
            scene = makeDemoScene(options.outDir());
            sources.add("demo=" + scene.video());
        }
        if (sources.isEmpty()) {
            throw new UsageException("run needs at least one SOURCE");
        }
        requireDistinctStreams(sources.stream().map(SegstreamCli::parseOrNull).filter(java.util.Objects::nonNull).toList());
        if (Files.exists(options.outDir()) && !Files.isDirectory(options.outDir())) {
            throw new UsageException("--out " + options.outDir() + " is a file; name a folder (it is created if missing)");
        }
        var outcome = PipelineRun.run(new PipelineRun.Options(sources, options.outDir(), options.model(), options.batchSize(),
                options.writeMasks() || demo, options.partitions(), options.device(), options.metricsPort(), options.livePort(), options.annotate() || demo), out);
        if (!outcome.anySourceRead() && outcome.stoppedBy() == null) {
            System.err.println("segstream: no source could be read");
            return 1;
        }
        if (outcome.stoppedBy() != null) { // finished cleanly, but on request: the shell's convention for a signal
            return 128 + new sun.misc.Signal(outcome.stoppedBy()).getNumber();
        }
        if (scene != null) {
            // out/demo keeps earlier demos' sessions too: score this run's.
            String output = outcome.summary().streams().stream().filter(r -> r.stream().equals("demo"))
                    .flatMap(r -> r.sessions().stream()).map(RunSummary.Session::output).filter(java.util.Objects::nonNull)
                    .reduce((first, last) -> last).orElseThrow(() -> new IllegalStateException("the demo wrote no masks"));
            DemoScore.measure(scene.video(), scene.groundTruth(), options.outDir().resolve(output).resolve("masks"),
                    options.model(), options.device()).print(out);
        }
        return 0;
    }

    private static int demo(List<String> args, PrintStream out) throws Exception {
        return runPipeline(args, out, Path.of("out", "demo"), true);
    }

    /** The demo's input: 10 s of a generated street scene (seed 2024, never used in training) with its ground truth. */
    private static SynthClip.Summary makeDemoScene(Path outDir) throws Exception {
        Path dir = outDir.resolve("source");
        System.err.println("segstream: generating the demo scene in " + dir);
        return SynthClip.write(dir, DEMO_SEED, 10, 640, 360, 25);
    }

    static final long DEMO_SEED = 2024;

    private static int synth(List<String> args, PrintStream out) throws Exception {
        Path dir = null;
        long seed = 1;
        double seconds = 10;
        double fps = 25;
        int width = 640;
        int height = 360;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--out" -> dir = Path.of(CliValues.value(args, ++i, arg));
                case "--seed" -> seed = CliValues.longValue(args, ++i, arg);
                case "--seconds" -> seconds = CliValues.doubleValue(args, ++i, arg, 0.04, 36_000);
                case "--fps" -> fps = CliValues.doubleValue(args, ++i, arg, 1, 240);
                case "--size" -> {
                    String size = CliValues.value(args, ++i, arg);
                    var m = java.util.regex.Pattern.compile("(\\d{1,5})x(\\d{1,5})").matcher(size);
                    if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(2)) < 1
                            || Integer.parseInt(m.group(1)) > 7680 || Integer.parseInt(m.group(2)) > 4320) {
                        throw new UsageException("--size takes WxH between 1x1 and 7680x4320, not '" + size + "'");
                    }
                    width = Integer.parseInt(m.group(1));
                    height = Integer.parseInt(m.group(2));
                }
                default -> throw new UsageException("unknown option " + arg);
            }
        }
        if (dir == null) {
            throw new UsageException("synth needs --out DIR");
        }
        var summary = SynthClip.write(dir, seed, seconds, width, height, fps);
        out.printf("%d frames of %dx%d at %.2f fps: %s and %s%n", summary.frames(), width, height, fps,
                summary.video(), summary.groundTruth());
        for (int c = 1; c < VocClasses.NAMES.size(); c++) {
            if (summary.classPixels()[c] > 0) {
                out.printf("  %-10s %6.2f %% of pixels%n", VocClasses.NAMES.get(c), 100 * summary.share(c));
            }
        }
        return 0;
    }

    private static int ingest(List<String> args, Map<String, String> env) throws Exception {
        List<SourceSpec> specs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--config")) {
                if (i + 1 == args.size()) {
                    throw new UsageException("--config needs a streams file");
                }
                specs.addAll(org.segstream.ingest.StreamsConfig.load(Path.of(args.get(++i))));
            } else {
                specs.add(parseSource(args.get(i).trim()));
            }
        }
        if (specs.isEmpty() && env.containsKey("SEGSTREAM_SOURCES")) {
            for (String argument : env.get("SEGSTREAM_SOURCES").split(",")) {
                specs.add(parseSource(argument.trim()));
            }
        }
        if (specs.isEmpty()) {
            throw new UsageException("ingest needs at least one SOURCE or --config FILE (or SEGSTREAM_SOURCES)");
        }
        requireDistinctStreams(specs);
        IngestConfig config = IngestConfig.fromEnv(env, KafkaClientProperties.from(env));
        // A service keeps trying a camera that is not up yet; files that cannot be read are still reported at once.
        var reconnect = org.segstream.ingest.Reconnect.DEFAULT.withRetryFirstOpen(true);
        boolean anyRead = false;
        // Every source at once, one thread each: live cameras never end, so one after another would starve the rest.
        var pool = java.util.concurrent.Executors.newFixedThreadPool(specs.size());
        List<IngestJob> running = new java.util.concurrent.CopyOnWriteArrayList<>();
        var finished = new CountDownLatch(1);
        // Ctrl-C / SIGTERM: every job ends its session (end record sent, producer flushed) before the JVM exits.
        Thread hook = new Thread(() -> {
            running.forEach(IngestJob::stop);
            try {
                finished.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "segstream-ingest-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (MetricsServer metrics = serviceMetrics(env); var producer = new FrameProducer(config)) {
            var ingestMetrics = new IngestMetrics(metrics.registry());
            List<java.util.concurrent.Future<IngestResult>> jobs = new ArrayList<>();
            for (SourceSpec source : specs) {
                var job = new IngestJob(source, config, producer, ingestMetrics, reconnect);
                running.add(job);
                jobs.add(pool.submit(job::run));
            }
            for (var job : jobs) {
                IngestResult result = job.get();
                anyRead |= result.framesSent() > 0;
            }
        } finally {
            pool.shutdownNow();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it has what it waited for
            }
        }
        return anyRead ? 0 : 1;
    }

    private static int segmenter(Map<String, String> env) throws Exception {
        SegmenterConfig config = SegmenterConfig.fromEnv(env, KafkaClientProperties.from(env));
        if (!config.model().isAbsolute() && !Files.exists(config.model())) {
            config = config.withModel(home().resolve(config.model()));
        }
        try (MetricsServer metrics = serviceMetrics(env)) {
            // Not healthy until the streams run: a supervisor must not take a starting segmenter for a working one.
            var started = new java.util.concurrent.atomic.AtomicReference<SegmenterApp>();
            MetricsServer.HealthCheck health = () -> started.get() == null ? "segmenter starting"
                    : started.get().healthy() ? null : "segmenter stopped: "
                    + (started.get().failure() != null ? started.get().failure() : started.get().state());
            metrics.addHealthCheck(health);
            try (SegmenterApp app = SegmenterApp.start(config, metrics.registry())) {
                started.set(app);
                return ServiceLifecycle.runUntilStopped("the segmenter", health);
            }
        }
    }

    private static int sink(Map<String, String> env) throws Exception {
        SinkConfig config = SinkConfig.fromEnv(env, KafkaClientProperties.from(env));
        try (MetricsServer metrics = serviceMetrics(env);
             LiveView live = config.live().port() < 0 ? null : LiveView.start(config.live(), config.limits());
             SinkApp app = SinkApp.start(config, live == null ? SinkListener.NONE : live, metrics.registry())) {
            MetricsServer.HealthCheck health = () -> app.healthy() ? null
                    : "sink stopped" + (app.failure() == null ? "" : ": " + app.failure());
            metrics.addHealthCheck(health);
            return ServiceLifecycle.runUntilStopped("the sink", health);
        }
    }

    private static int verify(List<String> args, PrintStream out, Map<String, String> env) throws Exception {
        String prefix = "";
        long waitSeconds = 0;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--streams" -> prefix = CliValues.value(args, ++i, "--streams");
                case "--wait" -> waitSeconds = CliValues.longValue(args, ++i, "--wait");
                default -> throw new UsageException("verify: unknown option '" + args.get(i) + "'");
            }
        }
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new UsageException("verify needs KAFKA_BOOTSTRAP_SERVERS");
        }
        Map<String, Object> client = new HashMap<>(KafkaClientProperties.from(env));
        client.put("bootstrap.servers", bootstrap);
        String streamPrefix = prefix;
        Predicate<String> streams = stream -> stream.startsWith(streamPrefix);
        try (var verifier = new DeliveryVerifier(client, Topics.fromEnv(env))) {
            boolean settled = verifier.awaitSettled(streams, Duration.ofSeconds(waitSeconds));
            var report = verifier.report(streams);
            out.print(report.toText());
            out.println(settled ? "every ended session has its end record on the masks topic"
                    : "not settled: a session's end record has not reached the masks topic yet");
            out.println("every frame is accounted for by a mask, a dead letter or a shed marker on the topics;"
                    + " gaps above are frames with none of them");
            boolean clean = report.gaps() == 0 && report.duplicates() == 0 && report.outOfOrder() == 0 && report.wrongSize() == 0;
            return clean ? 0 : 1;
        }
    }

    /** A standalone service's endpoint: SEGSTREAM_METRICS_PORT (default 9400, -1 off) on SEGSTREAM_METRICS_BIND (default 127.0.0.1). */
    private static MetricsServer serviceMetrics(Map<String, String> env) throws java.io.IOException {
        String port = env.getOrDefault("SEGSTREAM_METRICS_PORT", String.valueOf(RunOptions.DEFAULT_METRICS_PORT));
        try {
            return MetricsServer.start(env.getOrDefault("SEGSTREAM_METRICS_BIND", "127.0.0.1"), Integer.parseInt(port.trim()));
        } catch (NumberFormatException e) {
            throw new UsageException("SEGSTREAM_METRICS_PORT is '" + port + "', expected a port number");
        }
    }

    private static void requireDistinctStreams(List<SourceSpec> sources) {
        try {
            SourceSpec.requireDistinctStreams(sources);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static SourceSpec parseSource(String argument) {
        try {
            return SourceSpec.parse(argument);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The source, or null where it does not parse ({@code run} reports those in its table and goes on). */
    private static SourceSpec parseOrNull(String argument) {
        try {
            return SourceSpec.parse(argument);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The repository root (set by the ./segstream script), where models/ lives. */
    static Path home() {
        return Path.of(System.getProperty("segstream.home", "."));
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
