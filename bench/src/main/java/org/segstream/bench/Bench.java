package org.segstream.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.ingest.DecodedFrame;
import org.segstream.ingest.SourceSpec;
import org.segstream.ingest.VideoDecoder;
import org.segstream.launcher.RunOptions;
import org.segstream.scenes.street.SynthClip;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.segmenter.model.ModelDescriptor;
import org.segstream.segmenter.model.SegmentationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code segstream bench}: in one run, on the same clip, model and threads: the bare ONNX Runtime
 * session's throughput at batch sizes 1, 2, 4 and 8; the CPU cost per frame of every stage around the
 * model; the model compute table; then, on one embedded broker, the whole pipeline as fast as possible
 * (the headline ratio), at a light realtime load (the latency target), and the scaling rows (1 to 8
 * streams, fast and at the native 25 fps, batch 1 to 8). Prints markdown tables and writes them to
 * {@code OUT/BENCHMARKS.tables.md}. The live rows ({@link LiveRows}) and the stage costs ({@link StageCosts})
 * are measured in classes of their own.
 */
final class Bench {
    private static final Logger log = LoggerFactory.getLogger(Bench.class);
    static final List<Integer> BATCHES = List.of(1, 2, 4, 8);
    static final List<Integer> STREAMS = List.of(1, 2, 4, 8);
    /** Frames per bare-model measurement (a multiple of every batch size). */
    private static final int BARE_FRAMES = 96;
    /**
     * Clip of the unreported warm-up row before the headline run (400 frames). Both JVMs (this one and the broker's)
     * compile their hot paths as frames flow; after a 40-frame warm-up the broker's JIT compilers still took a third
     * of its CPU in the headline run, and the ratio read 0.62-0.70 against 0.74 after this one, on the same machine.
     */
    private static final double WARM_UP_SECONDS = 16;

    private Bench() {
    }

    // Long on purpose: the benchmark's steps in the order they run, each a few lines sharing the clip, the
    // bare-model figures and the device; split up, the steps would only hand those back and forth.
    static int run(BenchOptions options, PrintStream out) throws Exception {
        RunOptions run = options.run();
        Path dir = run.outDir();
        long started = System.nanoTime();
        SynthClip.Summary clip = SynthClip.write(dir.resolve("source"), 77, options.clipSeconds(), 640, 360, 25);
        List<BgrImage> frames = decode(clip.video());
        int batch = run.batchSize();

        // 1. The bare model: the ceiling for everything else, at every batch size of the scaling rows; one run at a time
        // on every core, and on the CPU as many runs at once as the segmenter runs.
        var bare = new BareCeilings();
        List<ClassMap> masks = new ArrayList<>();
        String device;
        int cores = Runtime.getRuntime().availableProcessors();
        List<BgrImage> some = frames.subList(0, Math.min(BARE_FRAMES, frames.size()));
        try (var model = SegmentationModel.load(ModelDescriptor.read(run.model()), run.device(), cores)) {
            device = model.provider();
            for (int b : batchSizes(batch)) {
                log.info("bench: bare model at batch {}, one run at a time", b);
                bare.addOneRun(BareModelThroughput.measure(model, cores, some, b, b == batch ? masks : null));
            }
        }
        var inference = SegmenterConfig.Inference.of(run.model()).withRuns(SegmenterConfig.Inference.AUTO_RUNS);
        if (device.equals("cpu") && inference.cpuRuns() > 1) {
            try (var model = SegmentationModel.load(ModelDescriptor.read(run.model()), run.device(), inference.cpuThreadsPerRun())) {
                for (int b : batchSizes(batch)) {
                    log.info("bench: bare model at batch {}, {} runs at once", b, inference.cpuRuns());
                    bare.addAtOnce(BareModelThroughput.measure(model, inference.cpuThreadsPerRun(), inference.cpuRuns(), some, b, null));
                }
            }
        }

        // 2. The stages around the model, CPU time per frame on one thread.
        Map<String, Double> stages = StageCosts.measure(frames.subList(0, masks.size()), masks, dir);
        int mainFrames = (int) Math.round(options.mainSeconds() * 25);

        // 3. Model compute: the model in use (its bare batch-1 figure) and any other exports given (the full width's
        // figures are in docs/BENCHMARKS.md: its 538 MB export is not made by the benchmark).
        List<ModelCompute> compute = new ArrayList<>();
        compute.add(ModelCompute.of(run.model(), bare.oneRun(1), device));
        for (Path other : options.computeModels()) {
            log.info("bench: model compute of {}", other);
            compute.add(ModelCompute.measure(other, run.device(), frames));
        }

        // 4. The pipeline, every row on one broker, each in its own topics.
        double lightFps = options.lightFps() > 0 ? options.lightFps() : Math.max(1, Math.floor(bare.oneRun(1).fps() / 2));
        PipelineMeasurement.Result main;
        double brokerIdleMillisPerSecond;
        List<PipelineMeasurement.Result> light = new ArrayList<>();
        List<PipelineMeasurement.Result> scaling = new ArrayList<>();
        List<LiveRows.Row> live = new ArrayList<>();
        List<String> failedRows = new ArrayList<>();
        log.info("bench: starting a Kafka broker (KRaft) on loopback");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            brokerIdleMillisPerSecond = brokerIdleCpu();
            var rows = new RowRunner(broker.bootstrapServers(), clip.video(), run, dir.resolve("pipeline"));
            // An unreported row first: the JIT compiles Kafka's, Kafka Streams' and the sink's paths there, as a
            // service that has run for a while has, not in the headline run.
            rows.run(new BenchScenario(1, BenchScenario.Pacing.FAST, batch, WARM_UP_SECONDS));
            main = rows.run(new BenchScenario(1, BenchScenario.Pacing.FAST, batch, options.mainSeconds()));
            for (int b : batch == 1 ? List.of(1) : List.of(batch, 1)) {
                light.add(rows.run(new BenchScenario(1, BenchScenario.Pacing.light(lightFps), b, options.lightSeconds())));
            }
            if (options.liveRows()) {
                live.addAll(new LiveRows(broker.bootstrapServers(), run, dir.resolve("live"), bare, options.liveCapacityFps())
                        .runAll(clip.video(), options.mainSeconds(), options.overloadSeconds(), failedRows));
            }
            if (options.scaling()) {
                scaling.addAll(rows.runEach(scalingScenarios(batch, options.scalingSeconds()), failedRows));
            }
        }

        String report = report(mainFrames, run, device, bare, stages, compute, main, light, scaling,
                (System.nanoTime() - started) / 1e9, live)
                + String.format(java.util.Locale.ROOT, "%nThe broker alone, idle (no client): %.0f ms of CPU per second.%n",
                brokerIdleMillisPerSecond)
                + (failedRows.isEmpty() ? "" : "\n**Rows that failed** (left out of the tables):\n\n- "
                        + String.join("\n- ", failedRows) + "\n");
        out.print(report);
        Path tables = dir.resolve("BENCHMARKS.tables.md");
        Files.writeString(tables, report);
        out.println("tables written to " + tables.toAbsolutePath());
        return failedRows.isEmpty() ? 0 : 1;
    }

    private static String describe(BenchScenario s) {
        return String.format(java.util.Locale.ROOT, "%d stream(s), %s, batch %d", s.streams(), s.pacing().label(), s.batch());
    }

    /** The idle broker's CPU, ms per second over 3 s: its share of every row's broker column that is not the frames'. */
    private static double brokerIdleCpu() throws InterruptedException {
        Thread.sleep(2000); // let start-up settle
        CpuSampler.Snapshot before = CpuSampler.take();
        Thread.sleep(3000);
        Map<String, Double> cpu = CpuSampler.take().millisSince(before);
        return (cpu.get("broker process") + cpu.get("broker gc") + cpu.get("broker jit")) / 3;
    }

    /** 1, 2, 4, 8 and the configured batch size. */
    private static List<Integer> batchSizes(int configured) {
        var sizes = new java.util.TreeSet<>(BATCHES);
        sizes.add(configured);
        return List.copyOf(sizes);
    }

    /** Streams 1..8 at the configured batch size, then batch sizes 1..8 with one stream; each fast and at 25 fps. */
    static List<BenchScenario> scalingScenarios(int batch, double seconds) {
        List<BenchScenario> scenarios = new ArrayList<>();
        for (var pacing : List.of(BenchScenario.Pacing.FAST, BenchScenario.Pacing.NATIVE)) {
            for (int streams : STREAMS) {
                scenarios.add(new BenchScenario(streams, pacing, batch, seconds));
            }
            for (int b : BATCHES) {
                if (b != batch) {
                    scenarios.add(new BenchScenario(1, pacing, b, seconds));
                }
            }
        }
        return scenarios;
    }

    /** Runs rows one after another on one broker, each in its own namespace. */
    private static final class RowRunner {
        private final String bootstrapServers;
        private final Path video;
        private final RunOptions run;
        private final Path outDir;
        private int next = 1;

        RowRunner(String bootstrapServers, Path video, RunOptions run, Path outDir) {
            this.bootstrapServers = bootstrapServers;
            this.video = video;
            this.run = run;
            this.outDir = outDir;
        }

        PipelineMeasurement.Result run(BenchScenario scenario) throws Exception {
            String namespace = String.format("bench%02d", next++);
            log.info("bench: pipeline row {}: {} stream(s), {}, batch {}, {} s each", namespace, scenario.streams(),
                    scenario.pacing().label(), scenario.batch(), scenario.secondsPerStream());
            var result = PipelineMeasurement.measure(bootstrapServers, video, scenario, run, outDir.resolve(namespace), namespace);
            log.info("bench: row {}: {} frames, {} fps, p50 {} ms, p99 {} ms", namespace, result.framesWritten(),
                    String.format("%.1f", result.fps()), result.p50(), result.p99());
            return result;
        }

        /** Each scenario in turn; one that fails is named in {@code failedRows} and left out. */
        List<PipelineMeasurement.Result> runEach(List<BenchScenario> scenarios, List<String> failedRows) throws Exception {
            List<PipelineMeasurement.Result> results = new ArrayList<>();
            for (BenchScenario scenario : scenarios) {
                try {
                    results.add(run(scenario));
                } catch (IllegalStateException e) {
                    // One stalled or failed row must not cost the tables of all the others: name it, go on.
                    log.error("bench: scaling row {} failed: {}", describe(scenario), e.getMessage());
                    failedRows.add(describe(scenario) + ": " + e.getMessage());
                }
            }
            return results;
        }
    }

    private static String report(int frames, RunOptions run, String device, BareCeilings bare,
                                 Map<String, Double> stages, List<ModelCompute> compute, PipelineMeasurement.Result main,
                                 List<PipelineMeasurement.Result> light, List<PipelineMeasurement.Result> scaling,
                                 double seconds, List<LiveRows.Row> live) {
        String model = run.model().getFileName().toString().replaceFirst("\\.(json|onnx)$", "");
        var sb = new StringBuilder();
        sb.append("\n## segstream bench\n\n").append(BenchReport.machine(frames, model, run.batchSize(), device));
        sb.append(String.format(java.util.Locale.ROOT, "whole command: %.0f s%n", seconds));
        int batch = run.batchSize();
        sb.append("\n### Targets\n\n").append(BenchReport.throughputVerdict(main, bare.best(batch), bare.oneRun(batch)));
        for (PipelineMeasurement.Result lightRow : light) {
            sb.append(BenchReport.latencyVerdict(lightRow, bare.oneRun(lightRow.scenario().batch())));
        }
        live.forEach(row -> sb.append(row.verdict()));
        sb.append("\n### Bare model (ONNX Runtime session alone)\n\n").append("Pipeline ratios are taken against the faster of "
                + "the two ways at the same batch; latency targets against one run at a time (the fastest single batch).\n\n")
                .append(BenchReport.bareTable(bare));
        sb.append("\n### Pipeline: headline run and light load\n\n");
        sb.append(String.format(java.util.Locale.ROOT, "Latency is end to end (ingest reads the frame -> the sink has written its "
                + "overlay); on the light-load rows over the frames after the first %d s, whose start-up (consumer group joins, "
                + "first fetches, cold code) is the last column. CPU columns are ms per frame written, by thread group, between "
                + "the start of ingest and the last frame out; broker = the broker JVM.%n%n", PipelineMeasurement.LATENCY_WARMUP_MS / 1000));
        List<PipelineMeasurement.Result> headline = new ArrayList<>();
        headline.add(main);
        headline.addAll(light);
        sb.append(BenchReport.pipelineTable(headline, bare));
        sb.append("\nLatency by stage (from the mask's timestamps: ingest read -> frame sent -> segmenter took it -> mask "
                + "forwarded -> sink received the committed mask -> overlay written), in ms:\n\n");
        sb.append(BenchReport.latencyStageTable(headline)).append(LiveRows.section(live, bare));
        if (!scaling.isEmpty()) {
            sb.append("\n### Scaling\n\n").append(String.format(java.util.Locale.ROOT,
                    "%.1f s of the clip per stream in each row; realtime rows publish each stream at 25 fps (files are never shed, "
                            + "so above capacity latency is queueing).%n%n", scaling.get(0).scenario().secondsPerStream()));
            sb.append(BenchReport.pipelineTable(scaling, bare));
        }
        sb.append("\n### Stages around the model\n\n").append(BenchReport.stageTable(stages));
        sb.append("\n### Model compute at 640x360\n\n").append(BenchReport.computeTable(compute));
        return sb.toString();
    }

    private static List<BgrImage> decode(Path video) throws Exception {
        List<BgrImage> frames = new ArrayList<>();
        try (var decoder = VideoDecoder.open(SourceSpec.parse(video.toString()), Long.MAX_VALUE)) {
            DecodedFrame frame;
            while ((frame = decoder.next()) != null) {
                frames.add(frame.image());
            }
        }
        return frames;
    }
}
