package org.segstream.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.segstream.contract.SourceKind;
import org.segstream.launcher.RunOptions;
import org.segstream.verify.DeliveryReport;
import org.segstream.scenes.street.SynthClip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's rows with live cameras ({@link LoopbackCamera}, read by ingest as any HTTP camera),
 * each judged against the bare model's capacity measured earlier in the same run:
 * <ul>
 *   <li><b>mixed</b>: one file as fast as it goes next to two cameras whose total rate is 60 % of the
 *       capacity. No live frame may be shed, live p99 stays within 2 x the bare batch-1 inference + 200 ms,
 *       and the file gets at least 80 % of the capacity the cameras leave;</li>
 *   <li><b>overload</b>: four cameras at twice the capacity in total. The processed frames reach 0.85 of
 *       the capacity at p50 / p99 latency within 500 ms / 1 s, the cameras get equal shares (within 10 %),
 *       and every frame is on the masks topic as a mask or a shed marker.</li>
 * </ul>
 */
final class LiveRows {
    private static final Logger log = LoggerFactory.getLogger(LiveRows.class);
    static final double MIXED_LIVE_SHARE = 0.60;
    static final double MIXED_FILE_TARGET = 0.80;
    static final long MIXED_LATENCY_SLACK_MS = 200;
    static final int OVERLOAD_CAMERAS = 4;
    static final double OVERLOAD_LOAD = 2.0;
    static final double OVERLOAD_THROUGHPUT_TARGET = 0.85;
    static final long OVERLOAD_P50_MS = 500;
    static final long OVERLOAD_P99_MS = 1000;
    static final double SHARE_TOLERANCE = 0.10;
    private static final String FILE = "file";

    /** A row's figures for the shared tables, and its verdict lines. */
    record Row(PipelineMeasurement.Result result, String verdict) {
    }

    private final String bootstrapServers;
    private final RunOptions run;
    private final Path dir;
    private final BareCeilings bare;
    private final double capacity;
    private final String capacityLabel;

    /**
     * Rows written under {@code dir}; {@code bare}: the bare model's figures by batch size, from the same run; the
     * capacity the camera rates are set from is the bare fps at the run's batch size, or {@code capacityFps} if positive.
     */
    LiveRows(String bootstrapServers, RunOptions run, Path dir, BareCeilings bare, double capacityFps) {
        this.bootstrapServers = bootstrapServers;
        this.run = run;
        this.dir = dir;
        this.bare = bare;
        this.capacity = capacityFps > 0 ? capacityFps : bare.best(run.batchSize()).fps();
        this.capacityLabel = capacityFps > 0 ? "the given capacity" : "the bare model's";
    }

    /**
     * The mixed row (next to {@code fileSeconds} of {@code fileClip}) and the overload row ({@code overloadSeconds}); one
     * that fails is named in {@code failedRows} and costs no other row.
     */
    List<Row> runAll(Path fileClip, double fileSeconds, double overloadSeconds, List<String> failedRows) {
        List<Row> rows = new ArrayList<>();
        try {
            rows.add(mixed(fileClip, fileSeconds));
        } catch (Exception e) {
            log.error("bench: the mixed row failed: {}", e.toString());
            failedRows.add("mixed: " + e);
        }
        try {
            rows.add(overload(overloadSeconds));
        } catch (Exception e) {
            log.error("bench: the overload row failed: {}", e.toString());
            failedRows.add("overload: " + e);
        }
        return rows;
    }

    /**
     * Mixed: {@code fileSeconds} of {@code fileClip} as fast as it goes next to two cameras, which stop when the file is
     * done. The file's fps counts its masks from the moment both cameras deliver to its last.
     */
    Row mixed(Path fileClip, double fileSeconds) throws Exception {
        double cameraFps = capacity * MIXED_LIVE_SHARE / 2;
        String label = String.format(Locale.ROOT, "mixed: file fast + 2 live x %.1f fps", cameraFps);
        var scenario = new BenchScenario(3, new BenchScenario.Pacing(label, true, cameraFps), run.batchSize(), fileSeconds);
        double leftFps = capacity - 2 * cameraFps;
        // generous: the file should take fileSeconds x 25 / leftFps; a row that never ends helps nobody
        Duration patience = Duration.ofSeconds(Math.round(120 + 10 * fileSeconds * 25 / leftFps));
        LiveRowRun.Measured m = withCameras(2, cameraFps, scenario, fileClip, fileSeconds, (servers, topics) -> {
            if (!new MasksTopic(servers, topics.masks()).awaitEnd(FILE, patience)) {
                log.warn("bench: mixed row: the file did not finish within {} s; stopping the cameras", patience.toSeconds());
            }
        });
        var shed = ShedCount.of(m.masks(), List.of("cam1", "cam2"));
        // Past each camera's start-up: opening an H.264 camera, ingest reads the ~20 frames FFmpeg probed at once, a burst
        // the segmenter sheds the oldest of by design (counted apart below).
        var live = m.latencies().livePastStartUp();
        long limit = Math.round(2 * bare.oneRun(1).batchMillis()) + MIXED_LATENCY_SLACK_MS;
        var window = LiveWindow.of(m.masks(), List.of("cam1", "cam2"));
        var file = m.masks().stream().filter(e -> e.stream().equals(FILE) && e.kind().equals("frame") && e.segmentedMs() >= window.fromMs())
                .mapToLong(MasksTopic.Entry::segmentedMs).summaryStatistics();
        double fileFps = file.getCount() < 2 ? 0 : file.getCount() * 1000.0 / (file.getMax() - window.fromMs());
        double fileTarget = MIXED_FILE_TARGET * leftFps;
        List<Check> checks = List.of(
                new Check(String.format(Locale.ROOT, "live frames shed past each camera's first %d s: %d of %d (target 0); in them: %d "
                                + "(the burst ingest reads while it opens a camera); all%s", START_UP_MS / 1000, shed.shedPastStartUp(),
                        shed.framesPastStartUp(), shed.shedInStartUp(), shed.reasons()), shed.shedPastStartUp() == 0),
                new Check(String.format(Locale.ROOT, "live p99 end to end %d ms (p50 %d, %d frames past each camera's first %d s); "
                                + "target <= 2 x %.0f ms (bare, batch 1) + %d = %d ms", live.percentile(99), live.percentile(50), live.frames(),
                        START_UP_MS / 1000, bare.oneRun(1).batchMillis(), MIXED_LATENCY_SLACK_MS, limit),
                        live.frames() > 0 && live.percentile(99) <= limit),
                new Check(String.format(Locale.ROOT, "file %.1f fps (%d of its %d frames segmented while both cameras ran); target >= "
                        + "%.2f x the %.1f fps the cameras leave = %.1f fps", fileFps, file.getCount(), m.row(FILE).framesWritten(),
                        MIXED_FILE_TARGET, leftFps, fileTarget), fileFps >= fileTarget));
        String head = String.format(Locale.ROOT, "- mixed: one file as fast as it goes + 2 live cameras at %.1f fps each (%.0f %% of "
                + "%s %.1f fps at batch %d)", cameraFps, 100 * MIXED_LIVE_SHARE, capacityLabel, capacity, run.batchSize());
        return new Row(m.result(), verdict(head, checks, m.result()));
    }

    /**
     * Overload: {@value #OVERLOAD_CAMERAS} cameras at {@value #OVERLOAD_LOAD} x the capacity in total, for {@code seconds}
     * once every camera delivers. Throughput and shares count the frames captured while every camera delivered.
     */
    Row overload(double seconds) throws Exception {
        double cameraFps = capacity * OVERLOAD_LOAD / OVERLOAD_CAMERAS;
        String label = String.format(Locale.ROOT, "overload: %d live x %.1f fps", OVERLOAD_CAMERAS, cameraFps);
        var scenario = new BenchScenario(OVERLOAD_CAMERAS, new BenchScenario.Pacing(label, true, cameraFps), run.batchSize(), seconds);
        List<String> cameras = new ArrayList<>();
        for (int c = 1; c <= OVERLOAD_CAMERAS; c++) {
            cameras.add("cam" + c);
        }
        LiveRowRun.Measured m = withCameras(OVERLOAD_CAMERAS, cameraFps, scenario, null, seconds, (servers, topics) -> {
            new MasksTopic(servers, topics.masks()).awaitEvery(java.util.Set.copyOf(cameras), Duration.ofMinutes(3));
            Thread.sleep(Math.round(seconds * 1000));
        });
        PipelineMeasurement.Result r = m.result();
        var window = LiveWindow.of(m.masks(), cameras);
        DeliveryReport all = m.all();
        long accounted = all.masksOut() + all.shed() + all.deadLetters();
        List<Check> checks = List.of(
                new Check(String.format(Locale.ROOT, "processed %.1f fps = %.2f of %s %.1f fps (target >= %.2f; %d masks "
                                + "of frames captured in the %.0f s every camera delivered)", window.masksPerSecond(),
                        window.masksPerSecond() / capacity, capacityLabel, capacity, OVERLOAD_THROUGHPUT_TARGET, window.totalMasks(), window.seconds()),
                        window.masksPerSecond() >= OVERLOAD_THROUGHPUT_TARGET * capacity),
                new Check(String.format(Locale.ROOT, "latency of processed frames p50 %d ms, p99 %d ms (targets %d / %d ms)", r.p50(),
                        r.p99(), OVERLOAD_P50_MS, OVERLOAD_P99_MS), r.p50() >= 0 && r.p50() <= OVERLOAD_P50_MS && r.p99() <= OVERLOAD_P99_MS),
                new Check(String.format(Locale.ROOT, "masks per camera in that window %s: furthest %.1f %% from the mean (target "
                        + "within %.0f %%)", window.masks().values(), 100 * window.worstShareDeviation(), 100 * SHARE_TOLERANCE),
                        window.worstShareDeviation() <= SHARE_TOLERANCE),
                new Check(String.format(Locale.ROOT, "from the topics: %d frames in = %d masks + %d shed markers%s + %d dead letters "
                                + "(%d unaccounted, %d duplicates, %d sessions unfinished)", all.framesIn(), all.masksOut(), all.shed(),
                        ShedCount.of(m.masks(), cameras).reasons(),
                        all.deadLetters(), all.gaps(), all.duplicates(), all.unfinishedSessions()),
                        all.framesIn() == accounted && all.exactlyOnce()));
        String head = String.format(Locale.ROOT, "- overload: %d live cameras at %.1f fps each (%.1f x %s %.1f fps at "
                + "batch %d), %.0f s once every camera delivers", OVERLOAD_CAMERAS, cameraFps, OVERLOAD_LOAD, capacityLabel, capacity, run.batchSize(), seconds);
        return new Row(r, verdict(head, checks, r));
    }

    private record Check(String text, boolean met) {
    }

    /** How long after a camera's first frame its frames count as its start-up (the burst ingest reads while it opens). */
    static final long START_UP_MS = 5_000;

    /**
     * What became of some cameras' frames, from the masks topic: frames (masks and shed markers) and shed frames past each
     * camera's start-up (its first {@link #START_UP_MS} of captures), shed frames in it, and every shed frame by reason.
     */
    record ShedCount(long framesPastStartUp, long shedPastStartUp, long shedInStartUp, java.util.SortedMap<String, Long> byReason) {

        static ShedCount of(List<MasksTopic.Entry> masks, List<String> cameras) {
            var firstCapture = new java.util.HashMap<String, Long>();
            for (MasksTopic.Entry e : masks) {
                if (cameras.contains(e.stream()) && e.captureMs() >= 0) {
                    firstCapture.merge(e.stream(), e.captureMs(), Math::min);
                }
            }
            var byReason = new java.util.TreeMap<String, Long>();
            long frames = 0;
            long shedPast = 0;
            long shedIn = 0;
            for (MasksTopic.Entry e : masks) {
                if (!cameras.contains(e.stream()) || e.captureMs() < 0) {
                    continue;
                }
                boolean pastStartUp = e.captureMs() - firstCapture.get(e.stream()) >= START_UP_MS;
                frames += pastStartUp ? 1 : 0;
                if (e.shedReason() != null) {
                    byReason.merge(e.shedReason(), 1L, Long::sum);
                    shedPast += pastStartUp ? 1 : 0;
                    shedIn += pastStartUp ? 0 : 1;
                }
            }
            return new ShedCount(frames, shedPast, shedIn, byReason);
        }

        /** " (deadline 3, overload 9; 4 in the cameras' first 5 s)"; empty when none was shed. */
        String reasons() {
            if (byReason.isEmpty()) {
                return "";
            }
            var sb = new StringBuilder(" (");
            byReason.forEach((reason, n) -> sb.append(sb.length() > 2 ? ", " : "").append(reason).append(' ').append(n));
            sb.append(String.format(Locale.ROOT, "; %d in the cameras' first %d s", shedInStartUp, START_UP_MS / 1000));
            return sb.append(')').toString();
        }
    }

    /** The rows' section of the report: their figures in the pipeline and latency-by-stage tables. */
    static String section(List<Row> rows, BareCeilings bare) {
        if (rows.isEmpty()) {
            return "";
        }
        List<PipelineMeasurement.Result> results = rows.stream().map(Row::result).toList();
        return "\n### Live cameras: mixed and overload\n\nEach camera is an HTTP MPEG-TS stream served on loopback at its own rate, "
                + "read by ingest as a live source; latency percentiles over the frames after the first "
                + PipelineMeasurement.LATENCY_WARMUP_MS / 1000 + " s, fps = frames written over the row.\n\n"
                + BenchReport.pipelineTable(results, bare) + "\nLatency by stage, in ms:\n\n" + BenchReport.latencyStageTable(results);
    }

    private LiveRowRun.Measured withCameras(int cameras, double cameraFps, BenchScenario scenario, Path fileClip, double fileSeconds,
                                            LiveRowRun.StopRule rule) throws Exception {
        String namespace = scenario.pacing().label().startsWith("mixed") ? "mixed" : "overload";
        Path clip = SynthClip.write(dir.resolve("camera-" + namespace), 91, Math.max(10, 10 / cameraFps), 640, 360, cameraFps).video();
        List<LoopbackCamera> started = new ArrayList<>();
        try {
            List<String> sources = new ArrayList<>();
            for (int c = 1; c <= cameras; c++) {
                LoopbackCamera camera = LoopbackCamera.start(clip, "cam" + c);
                started.add(camera);
                sources.add("cam" + c + "=" + camera.url());
            }
            if (fileClip != null) {
                sources.add(FILE + "=" + fileClip); // after the cameras: sources open one after another, in this order
            }
            log.info("bench: {} row: {}", namespace, scenario.pacing().label());
            return LiveRowRun.run(bootstrapServers, run, scenario, sources, fileSeconds, dir.resolve(namespace), namespace, rule);
        } finally {
            for (LoopbackCamera camera : started) {
                camera.close();
            }
        }
    }

    /** The row's head, one line per check with MET or MISSED, and where the time goes when one is missed. */
    private String verdict(String head, List<Check> checks, PipelineMeasurement.Result r) {
        var sb = new StringBuilder(head).append(":\n");
        checks.forEach(c -> sb.append("  - ").append(c.text()).append(": ").append(c.met() ? "MET" : "MISSED").append('\n'));
        if (r.framesWritten() == 0) {
            sb.append("  - no frame was written: see the log for the sources' errors\n");
        } else if (checks.stream().anyMatch(c -> !c.met())) {
            Map<String, Double> overhead = BenchReport.overheadPerFrame(r, bare.best(run.batchSize()));
            var cpu = new StringBuilder();
            overhead.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).filter(e -> e.getValue() >= 0.5)
                    .forEach(e -> cpu.append(cpu.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue())));
            sb.append(String.format(Locale.ROOT, "  - where the time goes: core-ms per frame beyond the bare session's: %s; the slowest "
                    + "1 %% of frames spend most of theirs in %s (rows below, by stage).%n", cpu, BenchReport.slowestStage(r)));
        }
        return sb.toString();
    }
}
