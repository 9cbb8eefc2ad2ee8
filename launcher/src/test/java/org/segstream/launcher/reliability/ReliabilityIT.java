package org.segstream.launcher.reliability;


import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.SourceKind;
import org.segstream.launcher.CliProcess;
import org.segstream.testsupport.ServiceProcess;
import org.segstream.testsupport.KafkaBrokerExtension;
import org.segstream.video.VideoFileInfo;

/**
 * Fault injection, after Kafka's TransactionsTest and StreamsEosTest: real broker, real services in
 * their own JVMs, every frame stamped with its identity at ingest; break something, then count with
 * a read_committed verifier ({@link org.segstream.verify.DeliveryVerifier}).
 *
 * <p>{@code ./mvnw verify} runs the short version (one kill of each service, a poison record, a
 * truncated mp4). {@code -Dsegstream.reliability=full} (profile {@code reliability}) runs every
 * scenario, three kills each, and writes docs/RELIABILITY.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES) // per scenario: a hung pipeline fails, it does not stall the build
class ReliabilityIT {
    static final boolean FULL = "full".equals(System.getProperty("segstream.reliability"));
    /** Scenarios only the full suite runs: `./mvnw verify` leaves this tag out (launcher/pom.xml), -Preliability keeps it. */
    static final String FULL_ONLY = "full-reliability";
    static final int KILLS = FULL ? 3 : 1;
    static final Predicate<String> ALL = stream -> true;

    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();
    static PeakRss rss;
    static ReliabilityReport report;
    static Path work;

    @BeforeAll
    static void startBroker() throws Exception {
        work = Path.of("target", "reliability", "work").toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        report = new ReliabilityReport();
        rss = new PeakRss();
    }

    @AfterAll
    static void writeReport() throws Exception {
        try {
            report.write(FULL ? Path.of("..", "docs", "RELIABILITY.md") : Path.of("target", "reliability", "RELIABILITY-short.md"), FULL);
        } finally {
            rss.close();
        }
    }

    /** Kill -9 the segmenter mid-stream (partial batches pending), restart it at once; file frames: none lost, none doubled. */
    @Test
    @Order(1)
    void segmenterKilledWithSigkill() throws Exception {
        String scenario = "segmenter kill -9 ×" + KILLS;
        try (var run = new ScenarioRun(broker.broker(), "segmenter-kill", work, 4, rss);
             var store = new PendingBatchProbe(broker.bootstrapServers(), "segmenter-kill-segmenter")) {
            var p = run.pipeline;
            // Big batches with a long wait, as in SegmenterCrashIT: frames are admitted (and committed to the
            // pending-frames store) for seconds before their batch runs, so a kill finds a partial batch there.
            // (With small batches and a backlog, a whole batch is admitted and finished within one commit
            // interval: a kill then finds it in the open transaction, which is aborted and redone instead.)
            int seconds = FULL ? 60 : 16; // long enough that every kill comes while the files are still read
            int fps = 5;
            Path a = TestMedia.mp4(p.dir().resolve("a.mp4"), 160, 96, fps, seconds);
            Path b = TestMedia.mp4(p.dir().resolve("b.mp4"), 160, 96, fps, seconds);
            p.startSegmenter(Map.of("SEGSTREAM_BATCH_SIZE", "16", "SEGSTREAM_BATCH_MAX_WAIT_MS", "5000"));
            ServiceProcess ingest = p.startIngest("files", List.of("default.pace = realtime", "cam-a.url = " + a, "cam-b.url = " + b));
            List<Long> kills = new ArrayList<>();
            for (int k = 0; k < KILLS; k++) {
                long target = run.masks(ALL) + 20;
                if (!run.await("20 more masks before kill " + (k + 1), Duration.ofMinutes(4), () -> run.masks(ALL) >= target, p.segmenter())) {
                    break;
                }
                // Mid-batch: when the committed store holds a partial batch (up to 30 s; then kill anyway).
                run.await("a partial batch committed to the pending-frames store", Duration.ofSeconds(30), store::batchFilling);
                run.sampleRss();
                kills.add(System.currentTimeMillis());
                p.segmenter().kill();
                p.restartSegmenter();
            }
            run.awaitExit("ingest", ingest, Duration.ofMinutes(5));
            run.awaitSettled(ALL, Duration.ofMinutes(6));
            Map<String, Long> shed = p.shedByReason(ALL);
            List<Long> recoveries = kills.stream().map(t -> run.recoveryMs(t, ALL)).toList();
            run.stopServices();
            long restored = p.restoredFrames();
            var result = run.result(scenario + ", " + restored + " pending frames restored", ALL, shed, recoveries)
                    .check(kills.size() == KILLS, "only " + kills.size() + " of " + KILLS + " kills happened")
                    // one kill may just miss its batch (committed a moment before); three cannot all miss
                    .check(!FULL || restored > 0, "no kill found a frame pending in a batch")
                    .check(recoveries.stream().allMatch(ms -> ms >= 0), "no mask after a kill")
                    .check(run.verifier.report(ALL).fileFramesIn() == 2L * seconds * fps, "every frame of both files ingested");
            finish(run, result);
        }
    }

    /** Kill -9 the sink while it writes an overlay; after restarts the overlay holds every frame once. */
    @Test
    @Order(2)
    void sinkKilledWithSigkill() throws Exception {
        String scenario = "sink kill -9 ×" + KILLS;
        try (var run = new ScenarioRun(broker.broker(), "sink-kill", work, 2, rss)) {
            var p = run.pipeline;
            int seconds = FULL ? 40 : 15;
            Path clip = TestMedia.mp4(p.dir().resolve("cam.mp4"), 320, 180, 10, seconds);
            p.startSegmenter(Map.of());
            p.startSink();
            ServiceProcess ingest = p.startIngest("file", List.of("cam.url = " + clip, "cam.pace = realtime"));
            Path streamDir = p.outDir().resolve("cam");
            List<Long> recoveries = new ArrayList<>();
            for (int k = 0; k < KILLS; k++) {
                if (!run.await("the sink to write 20 frames into an open overlay before kill " + (k + 1), Duration.ofMinutes(4),
                        () -> p.sinkFramesWritten() >= 20 && partFiles(streamDir) > 0, p.sink(), p.segmenter())) {
                    break;
                }
                run.sampleRss();
                long killedAt = System.currentTimeMillis();
                p.sink().kill();
                p.restartSink();
                if (run.await("the restarted sink to write a frame", Duration.ofMinutes(3), () -> p.sinkFramesWritten() > 0, p.sink())) {
                    recoveries.add(System.currentTimeMillis() - killedAt);
                }
            }
            run.awaitExit("ingest", ingest, Duration.ofMinutes(5));
            run.awaitSettled(ALL, Duration.ofMinutes(5));
            run.await("the sink to finalise the overlay", Duration.ofMinutes(3),
                    () -> Files.exists(fileOverlay(streamDir)) && partFiles(streamDir) == 0, p.sink());
            Path overlay = fileOverlay(streamDir);
            Map<String, Long> shed = p.shedByReason(ALL);
            run.stopServices();
            long frames = Files.exists(overlay) ? VideoFileInfo.read(overlay).frames() : -1;
            var result = run.result(scenario, ALL, shed, recoveries)
                    .check(recoveries.size() == KILLS, "only " + recoveries.size() + " of " + KILLS + " kills recovered")
                    .check(frames == seconds * 10L, "the overlay holds " + frames + " frames, expected " + seconds * 10)
                    .check(overlayFiles(streamDir) == 1, overlayFiles(streamDir) + " overlay files, expected 1")
                    .check(partFiles(streamDir) == 0, "a partial file left behind");
            finish(run, result);
        }
    }

    /**
     * Bad input, one pipeline: a clean file with two poison records slipped into its partition (garbage
     * bytes without headers; a frame whose JPEG is garbage), a truncated mp4, and in the full suite a
     * bit-flipped mp4 and a clip whose resolution changes mid-stream. One row per input.
     */
    @Test
    @Order(3)
    void badInputIsRefusedAndTheRestGoesOn() throws Exception {
        try (var run = new ScenarioRun(broker.broker(), "bad-input", work, 4, rss)) {
            var p = run.pipeline;
            Path clean = TestMedia.mp4(p.dir().resolve("clean.mp4"), 320, 180, 10, 10);
            Path whole = TestMedia.mp4(p.dir().resolve("whole.mp4"), 320, 180, 10, 8);
            Path truncated = TestMedia.truncated(whole, p.dir().resolve("truncated.mp4"), 0.6);
            List<String> streams = new ArrayList<>(List.of("clean.url = " + clean, "clean.pace = realtime", "truncated.url = " + truncated));
            if (FULL) {
                Path flipped = TestMedia.bitFlipped(whole, p.dir().resolve("bitflip.mp4"), 40, 8);
                Path sizeA = TestMedia.ts(p.dir().resolve("size-a.ts"), 320, 180, 10, 4);
                Path sizeB = TestMedia.ts(p.dir().resolve("size-b.ts"), 256, 144, 10, 4);
                Path resize = TestMedia.concatenated(p.dir().resolve("resize.ts"), sizeA, sizeB);
                streams.addAll(List.of("bitflip.url = " + flipped, "resize.url = " + resize));
            }
            p.startSegmenter(Map.of());
            ServiceProcess ingest = p.startIngest("files", streams);
            Predicate<String> cleanStream = "clean"::equals;
            // Mid-stream: after 20 of the clean file's 100 frames (read at its own rate) are on the frames topic.
            run.await("20 frames of the clean stream", Duration.ofMinutes(4), () -> run.framesIn(cleanStream) >= 20, p.segmenter());
            sendPoison(p.topics().frames(), "clean");
            run.awaitExit("ingest", ingest, Duration.ofMinutes(5));
            run.awaitSettled(ALL, Duration.ofMinutes(5));
            Map<String, Long> shed = p.shedByReason(ALL);
            Map<String, Long> shedClean = p.shedByReason(cleanStream);
            run.stopServices();

            List<ScenarioResult> rows = new ArrayList<>();
            var poison = run.result("poison record (garbage bytes; garbage JPEG) mid-stream", cleanStream, shedClean, List.of());
            rows.add(poison.check(poison.report.deadLetters() == 2, poison.report.deadLetters() + " dead letters, expected the 2 poison records")
                    .check(poison.report.masksOut() == 100, poison.report.masksOut() + " masks of the clean stream, expected all 100"));
            var cut = run.result("truncated mp4 (cut at 60 %)", "truncated"::equals, Map.of(), List.of());
            rows.add(cut.check(cut.report.framesIn() > 0 && cut.report.framesIn() < 80,
                    "frames before the cut: " + cut.report.framesIn() + " of 80"));
            if (FULL) {
                var flipped = run.result("bit-flipped mp4 (40 bits)", "bitflip"::equals, Map.of(), List.of());
                rows.add(flipped.check(flipped.report.framesIn() > 0, "no frame decoded from the bit-flipped file"));
                var resized = run.result("resolution change mid-clip (320x180 → 256x144)", "resize"::equals, Map.of(), List.of());
                rows.add(resized.check(resized.report.maskSizes().equals(List.of("256x144", "320x180")), "mask sizes " + resized.report.maskSizes())
                        .check(resized.report.fileFramesIn() == 80, resized.report.fileFramesIn() + " frames, expected 80"));
            }
            rows.forEach(row -> row.check(shed.values().stream().allMatch(n -> n == 0), "file frames shed: " + shed));
            // The same accounting from the command line, as an operator would run it.
            String printed = verifyCommand(p, "truncated");
            cut.check(printed.contains("frames in        " + cut.report.framesIn() + " ")
                    && printed.contains("masks out        " + cut.report.masksOut() + "\n"), "./segstream verify printed:\n" + printed);
            finish(run, rows.toArray(ScenarioResult[]::new));
        }
    }

    /** Kill -9 the broker under load and restart it on the same data directory. */
    @Test
    @Order(4)
    @Tag(FULL_ONLY)
    void brokerRestartedUnderLoad() throws Exception {
        try (var run = new ScenarioRun(broker.broker(), "broker-restart", work, 4, rss)) {
            var p = run.pipeline;
            int seconds = 30;
            Path a = TestMedia.mp4(p.dir().resolve("a.mp4"), 320, 180, 10, seconds);
            Path b = TestMedia.mp4(p.dir().resolve("b.mp4"), 320, 180, 10, seconds);
            p.startSegmenter(Map.of());
            p.startSink();
            ServiceProcess ingest = p.startIngest("files", List.of("default.pace = realtime", "cam-a.url = " + a, "cam-b.url = " + b));
            run.await("40 masks", Duration.ofMinutes(4), () -> run.masks(ALL) >= 40, p.segmenter());
            run.sampleRss();
            long killedAt = System.currentTimeMillis();
            broker.broker().kill();
            Thread.sleep(2000); // the broker stays down for 2 s: the scenario, not a wait
            broker.broker().restart();
            run.awaitExit("ingest", ingest, Duration.ofMinutes(6));
            run.awaitSettled(ALL, Duration.ofMinutes(6));
            long recovery = run.recoveryMs(killedAt, ALL);
            for (String cam : List.of("cam-a", "cam-b")) {
                Path dir = p.outDir().resolve(cam);
                run.await("the sink to finalise " + cam, Duration.ofMinutes(3),
                        () -> Files.exists(fileOverlay(dir)) && partFiles(dir) == 0, p.sink());
            }
            Map<String, Long> shed = p.shedByReason(ALL);
            boolean segmenterSurvived = p.segmenter().alive();
            boolean sinkSurvived = p.sink().alive();
            run.stopServices();
            var result = run.result("broker kill -9 + restart, same data dir, under load", ALL, shed, List.of(recovery))
                    .check(recovery >= 0, "no mask after the restart")
                    .check(segmenterSurvived && sinkSurvived, "segmenter alive " + segmenterSurvived + ", sink alive " + sinkSurvived)
                    .check(run.verifier.report(ALL).fileFramesIn() == 2L * seconds * 10, "every frame of both files ingested once");
            for (String cam : List.of("cam-a", "cam-b")) {
                Path overlay = fileOverlay(p.outDir().resolve(cam));
                long frames = Files.exists(overlay) ? VideoFileInfo.read(overlay).frames() : -1;
                result.check(frames == seconds * 10L, cam + "'s overlay holds " + frames + " frames, expected " + seconds * 10);
            }
            finish(run, result);
        }
    }

    /** Two live cameras drop at once; one is back after 5 s, the other after 2 minutes. */
    @Test
    @Order(5)
    @Tag(FULL_ONLY)
    void liveCameraDisconnected() throws Exception {
        try (var run = new ScenarioRun(broker.broker(), "camera-disconnect", work, 4, rss);
             var shortCam = new LiveCamera(320, 180, 10);
             var longCam = new LiveCamera(320, 180, 10)) {
            var p = run.pipeline;
            Predicate<String> shortStream = "cam-5s"::equals;
            Predicate<String> longStream = "cam-2min"::equals;
            p.startSegmenter(Map.of());
            ServiceProcess ingest = p.startIngest("cameras", List.of("cam-5s.url = " + shortCam.url(), "cam-2min.url = " + longCam.url()));
            run.await("20 masks of each camera", Duration.ofMinutes(3),
                    () -> run.masks(shortStream) >= 20 && run.masks(longStream) >= 20, p.segmenter(), ingest);
            shortCam.disconnect();
            longCam.disconnect();
            long down = System.currentTimeMillis();
            Thread.sleep(5_000);
            shortCam.reconnect();
            long shortBack = System.currentTimeMillis();
            run.await("the 5 s camera's first mask after it is back", Duration.ofMinutes(2),
                    () -> run.recoveryMs(shortBack, shortStream) >= 0, p.segmenter(), ingest);
            Thread.sleep(Math.max(0, down + 120_000 - System.currentTimeMillis()));
            longCam.reconnect();
            long longBack = System.currentTimeMillis();
            run.await("the 2 min camera's first mask after it is back", Duration.ofMinutes(2),
                    () -> run.recoveryMs(longBack, longStream) >= 0, p.segmenter(), ingest);
            long masks = run.masks(ALL);
            run.await("10 more masks", Duration.ofMinutes(1), () -> run.masks(ALL) >= masks + 10);
            p.stop("ingest", ingest); // SIGTERM: every session gets its end record
            run.awaitSettled(ALL, Duration.ofMinutes(3));
            Map<String, Long> shedShort = p.shedByReason(shortStream);
            Map<String, Long> shedLong = p.shedByReason(longStream);
            run.stopServices();
            var rows = List.of(
                    run.result("live camera disconnected 5 s", shortStream, shedShort, List.of(run.recoveryMs(shortBack, shortStream))),
                    run.result("live camera disconnected 2 min", longStream, shedLong, List.of(run.recoveryMs(longBack, longStream))));
            for (var row : rows) {
                row.check(row.report.sessions() >= 2, row.report.sessions() + " sessions: no reconnection")
                        .check(row.recoveryMs.get(0) >= 0, "no mask after the camera came back");
            }
            finish(run, rows.toArray(ScenarioResult[]::new));
        }
    }

    /**
     * A segmenter slower than its cameras: a live camera plus a file read as fast as possible, short
     * frame age, big batches with a long wait. Stale live frames are shed and counted; file frames never.
     */
    @Test
    @Order(6)
    @Tag(FULL_ONLY)
    void segmenterSlowerThanItsCameras() throws Exception {
        try (var run = new ScenarioRun(broker.broker(), "slow-segmenter", work, 4, rss);
             var camera = new LiveCamera(256, 144, 25)) {
            var p = run.pipeline;
            Path file = TestMedia.mp4(p.dir().resolve("file.mp4"), 320, 180, 25, 20);
            p.startSegmenter(Map.of("SEGSTREAM_MAX_FRAME_AGE_MS", "400", "SEGSTREAM_BATCH_SIZE", "16",
                    "SEGSTREAM_BATCH_MAX_WAIT_MS", "2000"));
            ServiceProcess live = p.startIngest("live", List.of("cam.url = " + camera.url()));
            run.await("the live camera's first masks", Duration.ofMinutes(3), () -> run.masks("cam"::equals) >= 5, p.segmenter(), live);
            ServiceProcess files = p.startIngest("file", List.of("file.url = " + file));
            run.awaitExit("file ingest", files, Duration.ofMinutes(5));
            Thread.sleep(5_000); // the camera alone for 5 more seconds: the scenario, not a wait
            p.stop("live ingest", live);
            run.awaitSettled(ALL, Duration.ofMinutes(6));
            Map<String, Long> shed = p.shedByReason(ALL);
            run.stopServices();
            var result = run.result("segmenter slower than its cameras (live + fast file, 400 ms max age)", ALL, shed, List.of());
            var fileOnly = run.verifier.report("file"::equals);
            result.check(result.report.shed() > 0, "no live frame was shed: the segmenter kept up, the scenario proves nothing")
                    .check(fileOnly.fileFramesIn() == 500 && fileOnly.masksOut() == 500,
                            "file frames " + fileOnly.fileFramesIn() + " in, " + fileOnly.masksOut() + " masks, expected 500 each");
            finish(run, result);
        }
    }

    /** Records the rows in the report, then fails the test if any of them failed. */
    private static void finish(ScenarioRun run, ScenarioResult... rows) {
        var failed = new StringBuilder();
        for (ScenarioResult row : rows) {
            report.add(row);
            System.out.println("[reliability] " + row);
            if (!row.passed()) {
                failed.append(row).append('\n');
            }
        }
        if (failed.length() > 0) {
            throw new AssertionError(failed + run.logTails());
        }
    }

    /** {@code ./segstream verify --streams PREFIX} against the scenario's topics; its output, after checking it exits 0. */
    private static String verifyCommand(PipelineUnderTest p, String prefix) throws Exception {
        Path log = p.dir().resolve("verify.log");
        var verify = CliProcess.start("verify", List.of("--streams", prefix, "--wait", "60"), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "SEGSTREAM_FRAMES_TOPIC", p.topics().frames(),
                "SEGSTREAM_MASKS_TOPIC", p.topics().masks(),
                "SEGSTREAM_DEAD_LETTERS_TOPIC", p.topics().deadLetters()), log);
        int code = verify.waitForExit(Duration.ofMinutes(2));
        String printed = verify.log();
        return code == 0 ? printed : "exit " + code + "\n" + printed;
    }

    /** A record of garbage bytes without headers, and a frame whose headers are right but whose JPEG is garbage. */
    private static void sendPoison(String topic, String key) throws Exception {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, garbage)).get();
            var headers = new RecordHeaders();
            new FrameIdentity(key, "poison", 0, 0, System.currentTimeMillis(), 320, 180, 10, "jpeg", SourceKind.FILE).writeTo(headers);
            byte[] notJpeg = "\u00ff\u00d8 this is not a JPEG".getBytes(StandardCharsets.ISO_8859_1);
            producer.send(new ProducerRecord<>(topic, null, key, notJpeg, headers)).get();
        }
    }

    static long partFiles(Path dir) {
        return countFiles(dir, name -> name.endsWith(".part"));
    }

    static long overlayFiles(Path dir) {
        return countFiles(dir, name -> name.matches("overlay-\\d{6}\\.mp4"));
    }

    /** The first overlay of a file stream's session ({@code <stream>/<session>_<file>/overlay-000000.mp4}), whether it exists yet or not. */
    static Path fileOverlay(Path streamDir) {
        if (Files.isDirectory(streamDir)) {
            try (Stream<Path> sessions = Files.list(streamDir)) {
                var first = sessions.filter(Files::isDirectory).sorted().findFirst();
                if (first.isPresent()) {
                    return first.get().resolve("overlay-000000.mp4");
                }
            } catch (java.io.IOException e) {
                // not there yet
            }
        }
        return streamDir.resolve("(no session yet)").resolve("overlay-000000.mp4");
    }

    /** Files in a stream's session folders whose name matches. */
    private static long countFiles(Path dir, Predicate<String> name) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.filter(f -> name.test(f.getFileName().toString())).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
