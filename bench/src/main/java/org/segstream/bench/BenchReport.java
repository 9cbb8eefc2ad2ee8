package org.segstream.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.segstream.sink.FrameTimeline;

/**
 * The benchmark's tables as markdown (ready for docs/BENCHMARKS.md), and the verdict on the two
 * targets with the stage that eats the difference where one is missed.
 */
final class BenchReport {
    static final double THROUGHPUT_TARGET = 0.90;
    static final long LATENCY_SLACK_MS = 100;

    /** Where the plans for each stage are written down. */
    static final String PLANS = "docs/BENCHMARKS.md, \"What to do about a stage\"";

    private BenchReport() {
    }

    static String machine(int frames, String model, int batch, String device) {
        return String.format(Locale.ROOT, "%d frames of 640x360 (synthetic street scene), model %s, batch %d, device %s, "
                        + "%d cores, %s %s, Java %s%n", frames, model, batch, device, Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    static String bareTable(BareCeilings bare) {
        var sb = new StringBuilder("| batch | runs at once x threads each | frames | fps | ms / batch | CPU ms / frame (all threads) "
                + "| cores busy |\n|---:|---|---:|---:|---:|---:|---:|\n");
        double cores = Runtime.getRuntime().availableProcessors();
        for (var r : bare.all()) {
            sb.append(String.format(Locale.ROOT, "| %d | %d x %d | %d | %.1f | %.0f | %.0f | %.0f %% |%n", r.batch(), r.runs(), r.threadsPerRun(),
                    r.frames(), r.fps(), r.batchMillis(), r.cpuMillisPerFrame(), 100 * r.fps() * r.cpuMillisPerFrame() / 1000 / cores));
        }
        return sb.toString();
    }

    static String stageTable(Map<String, Double> stages) {
        var sb = new StringBuilder("| stage (one thread, no contention) | CPU ms / frame |\n|---|---:|\n");
        stages.forEach((stage, ms) -> sb.append(String.format(Locale.ROOT, "| %s | %.2f |%n", stage, ms)));
        return sb.toString();
    }

    static String computeTable(List<ModelCompute> rows) {
        var sb = new StringBuilder("| model | width | geometry | GMAC / 640x360 frame | fps (batch 1) | source |\n|---|---:|---|---:|---:|---|\n");
        for (ModelCompute r : rows) { // the full width's quoted figures: docs/BENCHMARKS.md, "Model compute"
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %s | %.2f | %.2f | %s |%n", r.model(), r.width(),
                    r.pad100() ? "pad 100 (paper)" : "no pad (same padding)", r.gmac(), r.fps(), r.measured()));
        }
        return sb.toString();
    }

    /** The pipeline rows: throughput, latency, and CPU per frame by stage. */
    static String pipelineTable(List<PipelineMeasurement.Result> rows, BareCeilings bare) {
        var sb = new StringBuilder("| streams | pacing | batch | frames | fps (total) | ratio to bare | p50 ms | p95 ms | p99 ms |");
        for (String stage : CpuSampler.STAGES) {
            sb.append(' ').append(stage).append(" |");
        }
        sb.append(" CPU ms / frame | cores busy | start-up: frames, worst ms |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        sb.append("---:|".repeat(CpuSampler.STAGES.size())).append("---:|---:|---:|\n");
        for (var r : rows) {
            var s = r.scenario();
            BareModelThroughput.Result ceiling = bare.best(s.batch());
            sb.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %.1f | %s | %d | %d | %d |", s.streams(), s.pacing().label(),
                    s.batch(), r.framesWritten(), r.fps(), ceiling == null || s.pacing().sampleFps() > 0 ? "- (paced)"
                            : String.format(Locale.ROOT, "%.2f", r.fps() / ceiling.fps()),
                    r.p50(), r.p95(), r.p99()));
            for (String stage : CpuSampler.STAGES) {
                sb.append(String.format(Locale.ROOT, " %.1f |", r.cpuPerFrame(stage)));
            }
            sb.append(String.format(Locale.ROOT, " %.0f | %.0f %% | %s |%n", r.totalCpuPerFrame(), 100 * r.coresBusy(),
                    r.startupFrames() == 0 ? "-" : r.startupFrames() + ", " + r.startupMaxMs()));
        }
        return sb.toString();
    }

    /**
     * Where latency goes, stage by stage ({@link FrameTimeline#STAGES}): p50 and p99 of each stage alone, and the
     * mean split of the slowest 1 % of frames, which is what p99 end to end is made of.
     */
    static String latencyStageTable(List<PipelineMeasurement.Result> rows) {
        var sb = new StringBuilder("| streams | pacing | batch | ms |");
        for (String stage : FrameTimeline.STAGES) {
            sb.append(' ').append(stage).append(" |");
        }
        sb.append(" end to end |\n|---:|---|---:|---|").append("---:|".repeat(FrameTimeline.STAGES.size())).append("---:|\n");
        for (var r : rows) {
            var s = r.scenario();
            var split = r.latencyByStage();
            String row = String.format(Locale.ROOT, "| %d | %s | %d |", s.streams(), s.pacing().label(), s.batch());
            sb.append(row).append(" p50 of the stage |");
            for (long v : split.p50()) {
                sb.append(' ').append(v).append(" |");
            }
            sb.append(' ').append(r.p50()).append(" |\n").append(row).append(" p99 of the stage |");
            for (long v : split.p99()) {
                sb.append(' ').append(v).append(" |");
            }
            sb.append(' ').append(r.p99()).append(" |\n").append(row)
                    .append(String.format(Locale.ROOT, " mean of the slowest 1 %% (%d frames) |", split.slowestFrames()));
            for (double v : split.slowestMean()) {
                sb.append(String.format(Locale.ROOT, " %.0f |", v));
            }
            sb.append(String.format(Locale.ROOT, " %.0f |%n", split.slowestEndToEndMean()));
        }
        return sb.toString();
    }

    /** The stage of the slowest 1 % of frames with the largest mean share, and its figures, for the verdicts. */
    static String slowestStage(PipelineMeasurement.Result r) {
        int worst = slowestStageIndex(r);
        return String.format(Locale.ROOT, "%s (%.0f of their mean %.0f ms)", FrameTimeline.STAGES.get(worst),
                r.latencyByStage().slowestMean()[worst], r.latencyByStage().slowestEndToEndMean());
    }

    private static int slowestStageIndex(PipelineMeasurement.Result r) {
        double[] mean = r.latencyByStage().slowestMean();
        int worst = 0;
        for (int s = 1; s < mean.length; s++) {
            if (mean[s] > mean[worst]) {
                worst = s;
            }
        }
        return worst;
    }

    /**
     * Target (a): the pipeline as fast as possible against the bare model at the same batch size, run the way that does
     * the most frames a second ({@code bare}); {@code oneRun}: one run at a time on every core, for comparison.
     */
    static String throughputVerdict(PipelineMeasurement.Result main, BareModelThroughput.Result bare, BareModelThroughput.Result oneRun) {
        double ratio = main.fps() / bare.fps();
        var sb = new StringBuilder(String.format(Locale.ROOT,
                "- (a) throughput: pipeline %.1f fps = %.2f of the bare model's %.1f fps at batch %d (%d run(s) at once x %d thread(s); "
                        + "one run at a time on every core: %.1f fps, ratio %.2f) (target >= %.2f): %s%n",
                main.fps(), ratio, bare.fps(), bare.batch(), bare.runs(), bare.threadsPerRun(), oneRun.fps(), main.fps() / oneRun.fps(),
                THROUGHPUT_TARGET, ratio >= THROUGHPUT_TARGET ? "MET" : "MISSED"));
        if (ratio < THROUGHPUT_TARGET) {
            double lostMillis = 1000 / main.fps() - 1000 / bare.fps();
            Map<String, Double> overhead = overheadPerFrame(main, bare);
            var worst = overhead.entrySet().stream().max(Comparator.comparingDouble(Map.Entry::getValue)).orElseThrow();
            sb.append(String.format(Locale.ROOT, "  each frame takes %.0f ms longer than in the bare session; core-ms per frame "
                    + "beyond the bare session's (idle includes CPU taken by other processes on a shared machine): %s.%n", lostMillis, describe(overhead)));
            sb.append(String.format(Locale.ROOT, "  The difference goes to: **%s** (%.0f core-ms / frame); plans by stage: %s.%n",
                    worst.getKey(), worst.getValue(), PLANS));
        }
        return sb.toString();
    }

    /**
     * Where the pipeline's extra time per frame goes: core-milliseconds left idle (wall time x cores minus
     * CPU used) and each stage's CPU, inference counted beyond what the bare session needed.
     */
    static Map<String, Double> overheadPerFrame(PipelineMeasurement.Result main, BareModelThroughput.Result bare) {
        Map<String, Double> out = new LinkedHashMap<>();
        double cores = Runtime.getRuntime().availableProcessors();
        double idle = main.wallSeconds() * 1000 * cores / main.framesWritten() - main.totalCpuPerFrame();
        double bareIdle = 1000 * cores / bare.fps() - bare.cpuMillisPerFrame();
        out.put("idle cores", Math.max(0, idle - bareIdle));
        for (String stage : CpuSampler.STAGES) {
            if (!stage.equals("segmenter thread") && !stage.equals("onnxruntime pool")) {
                out.put(stage, main.cpuPerFrame(stage));
            }
        }
        // the stream thread's own work (JPEG decode, PNG encode, Kafka Streams) plus any inference slowed by contention
        out.put("segmenter thread", Math.max(0, main.cpuPerFrame("segmenter thread") + main.cpuPerFrame("onnxruntime pool")
                - bare.cpuMillisPerFrame()));
        return out;
    }

    /** Target (b): at a load the machine keeps up with, p99 within one batch's inference plus 100 ms. */
    static String latencyVerdict(PipelineMeasurement.Result light, BareModelThroughput.Result bare) {
        long limit = Math.round(bare.batchMillis()) + LATENCY_SLACK_MS;
        boolean met = light.p99() <= limit && light.p99() >= 0;
        var sb = new StringBuilder(String.format(Locale.ROOT,
                "- (b) latency at %s, batch %d: p99 %d ms (p50 %d, p95 %d; %d frames after the first %d s); target <= %d ms "
                        + "(one batch of %d: %.0f ms, + %d): %s. Start-up: the first %d frames, worst %d ms.%n",
                light.scenario().pacing().label(), light.scenario().batch(), light.p99(), light.p50(), light.p95(),
                light.framesWritten() - light.startupFrames(), PipelineMeasurement.LATENCY_WARMUP_MS / 1000, limit, bare.batch(),
                bare.batchMillis(), LATENCY_SLACK_MS, met ? "MET" : "MISSED", light.startupFrames(), light.startupMaxMs()));
        if (!met) {
            sb.append(String.format(Locale.ROOT, "  The difference is %d ms; the slowest 1 %% of frames spend most of theirs in: **%s**; "
                    + "plans by stage: %s.%n", light.p99() - limit, slowestStage(light), PLANS));
        }
        return sb.toString();
    }

    private static String describe(Map<String, Double> overhead) {
        var sb = new StringBuilder();
        overhead.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).filter(e -> e.getValue() >= 0.5)
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue())));
        return sb.toString();
    }
}
