package org.segstream.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.ingest.IngestJob;
import org.segstream.ingest.IngestResult;
import org.segstream.ingest.SourceSpec;
import org.segstream.scenes.TestClips;
import org.segstream.segmenter.SegmenterApp;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.segmenter.model.Device;
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
                SOURCE is a path or URL; name=SOURCE names the stream (default: the file's base name)
              ingest SOURCE...              one service against an external cluster, configured by
              segmenter                     environment variables (KAFKA_BOOTSTRAP_SERVERS, SEGSTREAM_*;
              sink                          see README.md)
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
            case "ingest" -> ingest(rest, env);
            case "segmenter" -> segmenter(env);
            case "sink" -> sink(env);
            default -> throw new UsageException("unknown command '" + args[0] + "'");
        };
    }

    private static int runPipeline(List<String> args, PrintStream out, Path defaultOut, boolean demo) throws Exception {
        Path outDir = defaultOut;
        Path model = home().resolve(SegmenterConfig.DEFAULT_MODEL);
        int batchSize = SegmenterConfig.DEFAULT_BATCH_SIZE;
        int partitions = 4;
        boolean writeMasks = false;
        Device device = Device.AUTO;
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--out" -> outDir = Path.of(value(args, ++i, arg));
                case "--model" -> model = Path.of(value(args, ++i, arg));
                case "--batch-size" -> batchSize = intValue(args, ++i, arg, 1, 256);
                case "--partitions" -> partitions = intValue(args, ++i, arg, 1, 1000);
                case "--device" -> device = Device.parse(value(args, ++i, arg));
                case "--write-masks" -> writeMasks = true;
                default -> {
                    if (arg.startsWith("--")) {
                        throw new UsageException("unknown option " + arg);
                    }
                    sources.add(arg);
                }
            }
        }
        if (demo) {
            sources.add(makeDemoClip(outDir).toString());
        }
        if (sources.isEmpty()) {
            throw new UsageException("run needs at least one SOURCE");
        }
        var outcome = PipelineRun.run(new PipelineRun.Options(sources, outDir, model, batchSize, writeMasks, partitions, device), out);
        if (!outcome.anySourceRead()) {
            System.err.println("segstream: no source could be read");
            return 1;
        }
        return 0;
    }

    private static int demo(List<String> args, PrintStream out) throws Exception {
        return runPipeline(args, out, Path.of("out", "demo"), true);
    }

    /** A short generated clip (moving test pattern) for the demo: 10 s of 640x360 at 25 fps. */
    private static Path makeDemoClip(Path outDir) throws Exception {
        Path clip = outDir.resolve("source").resolve("demo.mp4");
        Files.createDirectories(clip.getParent());
        System.err.println("segstream: generating the demo clip " + clip);
        return TestClips.write(clip, 640, 360, 250, 25);
    }

    private static int ingest(List<String> args, Map<String, String> env) throws Exception {
        List<String> sources = new ArrayList<>(args);
        if (sources.isEmpty() && env.containsKey("SEGSTREAM_SOURCES")) {
            sources.addAll(Arrays.asList(env.get("SEGSTREAM_SOURCES").split(",")));
        }
        if (sources.isEmpty()) {
            throw new UsageException("ingest needs at least one SOURCE (arguments or SEGSTREAM_SOURCES)");
        }
        IngestConfig config = IngestConfig.fromEnv(env, KafkaClientProperties.from(env));
        boolean anyRead = false;
        try (var producer = new FrameProducer(config)) {
            for (String argument : sources) {
                IngestResult result = new IngestJob(SourceSpec.parse(argument.trim()), config, producer).run();
                anyRead |= result.framesSent() > 0;
            }
        }
        return anyRead ? 0 : 1;
    }

    private static int segmenter(Map<String, String> env) throws Exception {
        SegmenterConfig config = SegmenterConfig.fromEnv(env, KafkaClientProperties.from(env));
        if (!config.model().isAbsolute() && !Files.exists(config.model())) {
            config = config.withModel(home().resolve(config.model()));
        }
        try (SegmenterApp app = SegmenterApp.start(config)) {
            awaitShutdownSignal();
        }
        return 0;
    }

    private static int sink(Map<String, String> env) throws Exception {
        try (SinkApp app = SinkApp.start(SinkConfig.fromEnv(env, KafkaClientProperties.from(env)), SinkListener.NONE)) {
            awaitShutdownSignal();
        }
        return 0;
    }

    private static void awaitShutdownSignal() throws InterruptedException {
        var stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "segstream-shutdown"));
        stop.await();
    }

    /** The repository root (set by the ./segstream script), where models/ lives. */
    static Path home() {
        return Path.of(System.getProperty("segstream.home", "."));
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int intValue(List<String> args, int i, String option, int min, int max) {
        String text = value(args, i, option);
        try {
            int n = Integer.parseInt(text);
            if (n < min || n > max) {
                throw new UsageException(option + " " + n + " is outside " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a whole number, not '" + text + "'");
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
