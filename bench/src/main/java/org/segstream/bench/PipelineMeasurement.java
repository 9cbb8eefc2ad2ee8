package org.segstream.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.launcher.PipelineRun;
import org.segstream.launcher.RunListener;
import org.segstream.launcher.RunOptions;
import org.segstream.launcher.RunSummary;
import org.segstream.sink.FrameTimeline;

/**
 * Runs one {@link BenchScenario} through the whole pipeline on an already running broker, in its own
 * topics, and measures it: total fps, end-to-end latency percentiles (and by stage) over the frames after the
 * row's start-up, the start-up's worst latency, and CPU per
 * frame by stage between the start of ingest and the last frame leaving the sink.
 */
final class PipelineMeasurement {

    /** The figures of one row. {@code cpuMillis} is CPU time by {@link CpuSampler#STAGES} over the row. */
    record Result(BenchScenario scenario, long framesIn, long framesWritten, double wallSeconds, double fps,
                  long p50, long p95, long p99, AllStreamsLatency.StageSplit latencyByStage, int startupFrames,
                  long startupMaxMs, Map<String, Double> cpuMillis) {

        double cpuPerFrame(String stage) {
            return framesWritten == 0 ? 0 : cpuMillis.getOrDefault(stage, 0.0) / framesWritten;
        }

        double totalCpuPerFrame() {
            return framesWritten == 0 ? 0 : cpuMillis.values().stream().mapToDouble(Double::doubleValue).sum() / framesWritten;
        }

        /** Share of all cores kept busy over the row (1.0 = every core all the time). */
        double coresBusy() {
            return cpuMillis.values().stream().mapToDouble(Double::doubleValue).sum() / 1000
                    / (wallSeconds * Runtime.getRuntime().availableProcessors());
        }
    }

    /** Light-load rows count latency from this long after their first frame on (the start-up is reported apart). */
    static final long LATENCY_WARMUP_MS = AllStreamsLatency.DEFAULT_WARMUP_MS;

    private PipelineMeasurement() {
    }

    static Result measure(String bootstrapServers, Path video, BenchScenario scenario, RunOptions run, Path outDir,
                          String namespace) throws Exception {
        List<String> sources = new ArrayList<>();
        for (int s = 1; s <= scenario.streams(); s++) {
            sources.add("cam" + s + "=" + video);
        }
        var probe = new RowProbe();
        var options = new PipelineRun.Options(sources, outDir, run.model(), scenario.batch(), false, run.partitions(), run.device(),
                -1, -1, false, namespace, scenario.sourceOptions(), org.segstream.config.Settings.of(java.util.Map.of()));
        // The row's topics stay until the broker stops: deleting them would put the deletion's work into the next row.
        PipelineRun.Outcome outcome = PipelineRun.runOn(bootstrapServers, options, new PrintStream(OutputStream.nullOutputStream()), probe);
        // Only the light-load rows (the latency target, 20 s by default) leave out their start; the others are backlog or too short.
        return result(scenario, outcome.summary(), probe, scenario.pacing().sampleFps() > 0 ? LATENCY_WARMUP_MS : 0);
    }

    /**
     * A row's figures from its run's summary and what {@code probe} saw; latency percentiles over the frames read
     * {@code warmup} ms or more after the first one (0: every frame). Throws if a stream failed.
     */
    static Result result(BenchScenario scenario, RunSummary summary, RowProbe probe, long warmup) {
        long in = 0;
        long written = 0;
        double seconds = 0.001;
        for (RunSummary.Row row : summary.streams()) {
            if (row.error() != null) {
                throw new IllegalStateException("stream " + row.stream() + " failed: " + row.error());
            }
            in += row.framesIn();
            written += row.framesWritten();
            if (row.fps() > 0) {
                seconds = Math.max(seconds, row.framesWritten() / row.fps());
            }
        }
        var steady = probe.latencies.sinceStart(warmup, true);
        var startup = probe.latencies.sinceStart(warmup, false);
        return new Result(scenario, in, written, probe.wallSeconds(), written / seconds, steady.percentile(50),
                steady.percentile(95), steady.percentile(99), steady.split(), startup.frames(), startup.percentile(100), probe.millis());
    }

    /**
     * CPU snapshots at the start of ingest and when the sink has drained (threads still alive), and the latency of
     * every frame the sink wrote.
     */
    static final class RowProbe implements RunListener {
        private final AllStreamsLatency latencies = new AllStreamsLatency();
        private CpuSampler.Snapshot start;
        private long startNanos;
        private Map<String, Double> millis = Map.of();
        private double wallSeconds;

        @Override
        public void ingestStarting() {
            startNanos = System.nanoTime();
            start = CpuSampler.take();
        }

        @Override
        public void frameWritten(FrameIdentity frame, BgrImage overlay, FrameTimeline timeline) {
            latencies.frameWritten(frame, overlay, timeline);
        }

        @Override
        public void drained() {
            millis = CpuSampler.take().millisSince(start);
            wallSeconds = (System.nanoTime() - startNanos) / 1e9;
        }

        AllStreamsLatency latencies() {
            return latencies;
        }

        Map<String, Double> millis() {
            return millis;
        }

        double wallSeconds() {
            return wallSeconds;
        }
    }
}
