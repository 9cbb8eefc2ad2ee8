package org.segstream.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.contract.SourceKind;
import org.segstream.contract.Topics;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.ingest.IngestJob;
import org.segstream.ingest.IngestMetrics;
import org.segstream.ingest.IngestResult;
import org.segstream.ingest.Reconnect;
import org.segstream.ingest.SourceSpec;
import org.segstream.ingest.SourcesFile;
import org.segstream.service.MetricsServer;
import org.segstream.testsupport.TestTopics;

/**
 * The scripts the compose stack runs in its containers, run here as they are: the services' health
 * check against a real metrics endpoint, and the sample camera (the sample service's synth command,
 * deploy/camera's scripts with Debian's ffmpeg, the default cameras file) read by a real ingest.
 */
class DeployScriptsIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path HEALTHY = ROOT.resolve("deploy/bin/segstream-healthy");
    static final Path SERVE_CAMERA = ROOT.resolve("deploy/camera/serve-camera");
    static final Path CAMERA_HEALTHY = ROOT.resolve("deploy/camera/camera-healthy");

    @TempDir
    Path dir;

    @Test
    void theHealthCheckPassesOn200AndFailsWithTheReasonOn503OrWhenNothingListens() throws Exception {
        var problem = new AtomicReference<String>();
        int port;
        try (var metrics = MetricsServer.start("127.0.0.1", 0)) {
            metrics.addHealthCheck(problem::get);
            port = metrics.port();
            var healthy = healthCheck(port);
            assertEquals(0, healthy.exitCode(), healthy.describe());

            problem.set("segmenter starting");
            var unhealthy = healthCheck(port);
            assertEquals(1, unhealthy.exitCode(), unhealthy.describe());
            assertTrue(unhealthy.stdout().contains("503") && unhealthy.stdout().contains("segmenter starting"), unhealthy.describe());
        }
        var gone = healthCheck(port);
        assertEquals(1, gone.exitCode(), gone.describe());
        assertTrue(gone.stdout().contains("nothing listens on 127.0.0.1:" + port), gone.describe());
    }

    @Test
    void theSampleCameraServesTheSampleToIngestAgainAfterEachClientLeaves() throws Exception {
        // The sample service's command (20 s there; 4 s here).
        var out = new ByteArrayOutputStream();
        assertEquals(0, SegstreamCli.run(new String[] {"synth", "--out", dir.resolve(".render").toString(), "--seconds", "4", "--seed", "2024"},
                new PrintStream(out, true, StandardCharsets.UTF_8), Map.of()));
        Path sample = Files.move(dir.resolve(".render/video.mp4"), dir.resolve("street.mp4"));

        int port = freePort();
        Map<String, String> cameraEnv = Map.of("CAMERA_FILE", sample.toString(), "CAMERA_PORT", String.valueOf(port));
        Process camera = start(List.of(SERVE_CAMERA.toString()), cameraEnv, dir.resolve("camera.log"));
        try {
            awaitHealthy(cameraEnv, camera);

            // The default cameras file, with this machine's camera in place of the compose network's.
            String cameras = Files.readString(ROOT.resolve("deploy/cameras.example.properties")).replace("camera:8554", "127.0.0.1:" + port);
            List<SourceSpec> specs = SourcesFile.load(Files.writeString(dir.resolve("cameras.properties"), cameras), Map.of());
            assertEquals(1, specs.size(), "one camera: " + specs);
            SourceSpec spec = specs.get(0);
            assertEquals("sample", spec.stream());
            assertEquals(SourceKind.LIVE, spec.kind(), "read as a live camera");
            assertEquals(5, spec.options().fps());

            try (var broker = EmbeddedKafkaBroker.start()) {
                Topics topics = TestTopics.create(broker.bootstrapServers(), "cam", 1);
                IngestConfig config = IngestConfig.of(broker.bootstrapServers(), topics);
                var registry = new PrometheusRegistry();
                var metrics = new IngestMetrics(registry);
                var pool = Executors.newSingleThreadExecutor();
                try (var producer = new FrameProducer(config)) {
                    for (int client = 1; client <= 2; client++) {
                        // A client reads a while and leaves; the camera must serve the next one (as after an ingest restart).
                        double before = frames(registry);
                        // As the ingest service does: a camera that is not up yet is retried.
                        var job = new IngestJob(spec, config, producer, metrics, Reconnect.DEFAULT.withRetryFirstOpen(true));
                        Future<IngestResult> running = pool.submit(job::run);
                        int current = client;
                        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertTrue(frames(registry) >= before + 8,
                                "client " + current + " got frames of the sample camera: " + frames(registry) + "; camera log:\n"
                                        + Files.readString(dir.resolve("camera.log"))));
                        var serving = cameraHealthy(cameraEnv);
                        assertEquals(0, serving.exitCode(), "healthy while it serves a client: " + serving.describe());
                        job.stop();
                        IngestResult result = running.get(30, TimeUnit.SECONDS);
                        assertTrue(result.sessions().size() >= 1, result.toString());
                        assertTrue(lastFrameAge(registry) < 30, "the camera's last frame is recent");
                        awaitHealthy(cameraEnv, camera); // listening again for the next client
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        } finally {
            camera.destroy(); // SIGTERM, as docker stop sends: the script ends ffmpeg and exits
            assertTrue(camera.waitFor(10, TimeUnit.SECONDS), "the camera stops on SIGTERM");
            assertEquals(0, camera.exitValue(), Files.readString(dir.resolve("camera.log")));
        }
        var stopped = cameraHealthy(cameraEnv);
        assertEquals(1, stopped.exitCode(), "nothing serves once it stopped: " + stopped.describe());
    }

    private ExternalCommand.Result healthCheck(int port) throws Exception {
        return ExternalCommand.run(dir, Duration.ofSeconds(30), List.of("bash", HEALTHY.toString(), String.valueOf(port)));
    }

    private ExternalCommand.Result cameraHealthy(Map<String, String> env) throws Exception {
        return ExternalCommand.run(dir, Duration.ofSeconds(30), List.of("/usr/bin/env", "CAMERA_PORT=" + env.get("CAMERA_PORT"),
                "sh", CAMERA_HEALTHY.toString()));
    }

    private void awaitHealthy(Map<String, String> env, Process camera) throws Exception {
        try {
            await("the camera listens").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (cameraHealthy(env).exitCode() == 0) {
                    return true;
                }
                assertTrue(camera.isAlive(), "the camera ended: " + Files.readString(dir.resolve("camera.log"))); // fails at once
                return false;
            });
        } catch (ConditionTimeoutException never) {
            throw new AssertionError("the camera never listened: " + Files.readString(dir.resolve("camera.log")));
        }
    }

    private static Process start(List<String> command, Map<String, String> env, Path log) throws Exception {
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** segstream_frames_ingested_total of the sample camera. */
    private static double frames(PrometheusRegistry registry) {
        return registry.scrape().stream().filter(s -> s instanceof CounterSnapshot && s.getMetadata().getName().equals("segstream_frames_ingested"))
                .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
                .filter(d -> "sample".equals(d.getLabels().get("stream"))).mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    }

    /** Seconds since the sample camera's last frame, by segstream_last_frame_timestamp_seconds{source_kind="live"}. */
    private static double lastFrameAge(PrometheusRegistry registry) {
        double last = registry.scrape().stream()
                .filter(s -> s instanceof GaugeSnapshot && s.getMetadata().getName().equals("segstream_last_frame_timestamp_seconds"))
                .flatMap(s -> ((GaugeSnapshot) s).getDataPoints().stream())
                .filter(d -> "sample".equals(d.getLabels().get("stream")) && "live".equals(d.getLabels().get("source_kind")))
                .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue).max().orElse(0);
        return System.currentTimeMillis() / 1000.0 - last;
    }

    private static int freePort() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
