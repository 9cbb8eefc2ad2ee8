package org.segstream.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.launcher.PipelineRun;
import org.segstream.launcher.RunListener;
import org.segstream.launcher.RunOptions;
import org.segstream.service.ServiceLifecycle;
import org.segstream.scenes.street.SynthClip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code segstream bench --soak MINUTES}: live cameras ({@link LoopbackCamera}) through the whole pipeline
 * for MINUTES on an embedded broker, every process's resident memory ({@link ProcessRss}) sampled every
 * few seconds. Prints the samples, and per process the slope after the warm-up in MiB per hour: a
 * pipeline whose memory is bounded stays flat once its heaps and caches have grown to their working size.
 * Also written to {@code OUT/soak/SOAK.md}.
 */
final class RssSoak {
    private static final Logger log = LoggerFactory.getLogger(RssSoak.class);
    static final long SAMPLE_EVERY_MS = 5_000;
    /** The warm-up left out of the slope: a third of the run, at most this long. */
    static final double MAX_WARMUP_SECONDS = 120;
    /** Rows printed at most (every sample is used for the slope). */
    private static final int PRINTED_ROWS = 40;

    /** One sample: seconds since the cameras started, resident MiB by process. */
    record Sample(double seconds, Map<String, Double> mib) {
    }

    private RssSoak() {
    }

    static int run(BenchOptions options, PrintStream out) throws Exception {
        BenchOptions.SoakOptions soak = options.soak();
        RunOptions run = options.run();
        Path dir = Files.createDirectories(run.outDir().resolve("soak"));
        Path clip = SynthClip.write(dir.resolve("camera"), 91, Math.max(10, 10 / soak.cameraFps()), 640, 360, soak.cameraFps()).video();
        double seconds = soak.minutes() * 60;
        double warmup = Math.min(MAX_WARMUP_SECONDS, seconds / 3);
        List<LoopbackCamera> cameras = new ArrayList<>();
        ExecutorService pipeline = Executors.newSingleThreadExecutor(r -> new Thread(r, "segstream-soak-run"));
        log.info("soak: starting a Kafka broker (KRaft) on loopback");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            List<String> sources = new ArrayList<>();
            for (int c = 1; c <= soak.cameras(); c++) {
                cameras.add(LoopbackCamera.start(clip, "cam" + c));
                sources.add("cam" + c + "=" + cameras.get(c - 1).url());
            }
            var stop = new ServiceLifecycle();
            var pipelineOptions = new PipelineRun.Options(sources, dir.resolve("out"), run.model(), run.batchSize(), false,
                    run.partitions(), run.device());
            Future<PipelineRun.Outcome> outcome = pipeline.submit(
                    () -> PipelineRun.runOn(broker.bootstrapServers(), pipelineOptions, out, stop, RunListener.NONE));
            List<Sample> samples = sample(seconds, outcome);
            log.info("soak: {} min done; stopping the cameras", soak.minutes());
            stop.request("TERM");
            outcome.get();
            String report = report(soak, warmup, samples);
            out.print(report);
            Files.writeString(dir.resolve("SOAK.md"), report);
            out.println("soak table written to " + dir.resolve("SOAK.md").toAbsolutePath());
            return 0;
        } finally {
            pipeline.shutdownNow();
            for (LoopbackCamera camera : cameras) {
                camera.close();
            }
        }
    }

    /** Every {@link #SAMPLE_EVERY_MS} for {@code seconds}, or until the pipeline ends on its own (a failure). */
    private static List<Sample> sample(double seconds, Future<?> pipeline) throws Exception {
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        double elapsed = 0;
        while (elapsed <= seconds) {
            if (pipeline.isDone()) {
                pipeline.get(); // throws the pipeline's failure
                throw new IllegalStateException("the pipeline ended before the soak did");
            }
            samples.add(new Sample(elapsed, ProcessRss.sample()));
            if (samples.size() % 12 == 1) {
                log.info("soak: {} s of {}: RSS {}", Math.round(elapsed), Math.round(seconds), samples.get(samples.size() - 1).mib());
            }
            Thread.sleep(SAMPLE_EVERY_MS);
            elapsed = (System.nanoTime() - start) / 1e9;
        }
        return samples;
    }

    /** 10 for 10.0, 0.75 for 0.75: as the option was given. */
    private static String minutes(double minutes) {
        return java.math.BigDecimal.valueOf(minutes).stripTrailingZeros().toPlainString();
    }

    /** The samples (thinned to at most {@link #PRINTED_ROWS} rows) and per process the slope after the warm-up. */
    static String report(BenchOptions.SoakOptions soak, double warmup, List<Sample> samples) {
        Set<String> processes = new LinkedHashSet<>();
        samples.forEach(s -> processes.addAll(s.mib().keySet()));
        var sb = new StringBuilder(String.format(Locale.ROOT, "%n## segstream bench --soak %s%n%n%d live camera(s) at %.1f fps, "
                + "640x360, through the whole pipeline; resident memory (VmRSS) every %d s; slope over the samples after the "
                + "first %.0f s (warm-up).%n%n| time s |", minutes(soak.minutes()), soak.cameras(), soak.cameraFps(), SAMPLE_EVERY_MS / 1000,
                warmup));
        processes.forEach(p -> sb.append(' ').append(p).append(" MiB |"));
        sb.append("\n|---:|").append("---:|".repeat(processes.size())).append('\n');
        int every = Math.max(1, (int) Math.ceil(samples.size() / (double) PRINTED_ROWS));
        for (int i = 0; i < samples.size(); i++) {
            if (i % every == 0 || i == samples.size() - 1) {
                Sample s = samples.get(i);
                sb.append(String.format(Locale.ROOT, "| %.0f |", s.seconds()));
                processes.forEach(p -> sb.append(s.mib().containsKey(p) ? String.format(Locale.ROOT, " %.0f |", s.mib().get(p)) : " - |"));
                sb.append('\n');
            }
        }
        sb.append("\n| process | after warm-up MiB | at the end MiB | peak MiB | slope after warm-up MiB/hour |\n|---|---:|---:|---:|---:|\n");
        for (String p : processes) {
            List<Sample> steady = samples.stream().filter(s -> s.seconds() >= warmup && s.mib().containsKey(p)).toList();
            if (steady.isEmpty()) {
                continue;
            }
            double[] t = steady.stream().mapToDouble(Sample::seconds).toArray();
            double[] v = steady.stream().mapToDouble(s -> s.mib().get(p)).toArray();
            double peak = samples.stream().filter(s -> s.mib().containsKey(p)).mapToDouble(s -> s.mib().get(p)).max().orElse(0);
            sb.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %+.1f |%n", p, v[0], v[v.length - 1], peak,
                    ProcessRss.slopeMibPerHour(t, v)));
        }
        return sb.toString();
    }
}
