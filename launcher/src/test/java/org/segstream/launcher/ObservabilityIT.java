package org.segstream.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.ingest.IngestJob;
import org.segstream.ingest.IngestMetrics;
import org.segstream.ingest.SourceSpec;
import org.segstream.scenes.TestClips;
import org.segstream.scenes.TestPattern;
import org.segstream.segmenter.SegmenterApp;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.service.MetricsServer;
import org.segstream.sink.SinkApp;
import org.segstream.sink.SinkConfig;
import org.segstream.sink.SinkListener;

/**
 * The observability stack as users get it: a real Prometheus (Debian's package) scraping real services
 * with the project's scrape configuration and alert rules returns data for every PromQL expression of the
 * Grafana dashboard and for its camera variable, evaluates every alert rule without an error, and has
 * every metric the rules name. (ComposeFilesIT checks the compose files, PrometheusRulesIT the rules' own tests.)
 */
class ObservabilityIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path PROMETHEUS_DIR = ROOT.resolve("deploy/prometheus");
    /** Metric names in PromQL: segstream's own, and Prometheus's up. */
    static final Pattern METRIC = Pattern.compile("\\b(segstream_[a-z0-9_]+|up)\\b");
    /** Grafana's variable query {@code label_values(metric, label)}. */
    static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)");

    @Test
    void everyDashboardQueryReturnsDataFromARealPrometheus(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(PROMETHEUS), "Prometheus is missing: apt-get install prometheus");
        Topics topics = Topics.defaults();
        try (var broker = EmbeddedKafkaBroker.start();
             var metrics = MetricsServer.start("127.0.0.1", 0)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                TopicSetup.ensure(admin, topics, 2, (short) 1);
            }
            Process prometheus = startPrometheus(dir, metrics.port());
            try {
                runPipeline(broker.bootstrapServers(), topics, metrics, dir);
                // Not a wait for a condition: Prometheus (1 s scrapes, 5 s rule evaluations) keeps observing the idle
                // services for a few more scrapes after the last frame.
                Thread.sleep(4000);

                int port = prometheusPort;
                JsonNode dashboard = new ObjectMapper().readTree(ROOT.resolve("deploy/grafana/dashboards/segstream.json").toFile());
                List<String> empty = new ArrayList<>();
                int queries = 0;
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        // Grafana's own: the rate interval, and the camera variable as "All" (its allValue).
                        String expr = target.path("expr").asText().replace("$__rate_interval", "1m").replace("$camera", ".*");
                        queries++;
                        JsonNode result = query(port, expr);
                        if (!result.path("status").asText().equals("success") || result.path("data").path("result").isEmpty()) {
                            empty.add(panel.path("title").asText() + ": " + expr + " -> " + result);
                        }
                    }
                }
                assertTrue(queries >= 20, "the dashboard has its panels");
                assertEquals(List.of(), empty, "every dashboard query returns data");

                JsonNode variables = dashboard.path("templating").path("list");
                assertTrue(variables.size() >= 1 && variables.get(0).path("name").asText().equals("camera"), "a camera variable");
                for (JsonNode variable : variables) {
                    Matcher labelValues = LABEL_VALUES.matcher(variable.path("query").path("query").asText());
                    assertTrue(labelValues.matches(), "a label_values(metric, label) query: " + variable);
                    JsonNode values = query(port, "count by (" + labelValues.group(2) + ") (" + labelValues.group(1) + ")");
                    assertTrue(values.path("data").path("result").size() >= 1, "the variable $" + variable.path("name").asText()
                            + " lists the streams: " + values);
                }

                // The alert rules: each evaluated without an error, and each metric they name is there.
                JsonNode rules = new ObjectMapper().readTree(get("http://127.0.0.1:" + port + "/api/v1/rules").body());
                List<String> alerts = new ArrayList<>();
                for (JsonNode group : rules.path("data").path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        alerts.add(rule.path("name").asText());
                        assertEquals("ok", rule.path("health").asText(), rule.path("name").asText() + ": " + rule.path("lastError"));
                    }
                }
                assertTrue(alerts.contains("SegstreamCameraDown") && alerts.size() >= 6, "the rules of alerts.yml are loaded: " + alerts);
                Matcher names = METRIC.matcher(Files.readString(PROMETHEUS_DIR.resolve("alerts.yml")));
                Set<String> missing = new TreeSet<>();
                while (names.find()) {
                    if (query(port, "count({__name__=\"" + names.group(1) + "\"})").path("data").path("result").isEmpty()) {
                        missing.add(names.group(1));
                    }
                }
                assertEquals(Set.of(), missing, "metrics the alert rules name but no service has");
            } finally {
                prometheus.destroy();
                prometheus.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private int prometheusPort;

    /** Prometheus with the project's scrape configuration, every job pointed at this process's endpoint. */
    private Process startPrometheus(Path dir, int metricsPort) throws Exception {
        String config = Files.readString(PROMETHEUS_DIR.resolve("prometheus.yml"))
                .replace("scrape_interval: 5s", "scrape_interval: 1s")
                .replaceAll("dns_sd_configs:\\n\\s+- names: \\[\\w+\\]\\n\\s+type: A\\n\\s+port: 9400",
                        "static_configs:\n      - targets: ['127.0.0.1:" + metricsPort + "']");
        assertTrue(config.contains("127.0.0.1:" + metricsPort) && !config.contains("dns_sd_configs"), config);
        Path file = Files.writeString(dir.resolve("prometheus.yml"), config);
        Files.copy(PROMETHEUS_DIR.resolve("alerts.yml"), dir.resolve("alerts.yml")); // rule_files: beside the configuration
        prometheusPort = freePort();
        Process p = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            await("Prometheus ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .ignoreException(java.io.IOException.class) // starting
                    .until(() -> get("http://127.0.0.1:" + prometheusPort + "/-/ready").statusCode() == 200);
            return p;
        } catch (ConditionTimeoutException notReady) {
            throw new AssertionError("Prometheus did not become ready:\n" + Files.readString(dir.resolve("prometheus.log")));
        }
    }

    /** Ingest of a clip, a live camera with a stale frame and a refused one, a poison record, the segmenter and the sink. */
    private static void runPipeline(String bootstrap, Topics topics, MetricsServer metrics, Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("clip.mkv"), 320, 180, 60, 25);
        var tracker = new RunTracker();
        var segmenterConfig = SegmenterConfig.of(bootstrap, topics, Path.of("..", "models", "fcn8s-slim.json"), dir.resolve("state"))
                .withApplicationId("observability").withDevice(org.segstream.segmenter.model.Device.CPU, 2).withMaxFrameAgeMs(3000);
        try (var segmenter = SegmenterApp.start(segmenterConfig, metrics.registry());
             var sink = SinkApp.start(SinkConfig.of(bootstrap, topics, dir.resolve("out"), false), tracker, metrics.registry());
             var producer = new FrameProducer(IngestConfig.of(bootstrap, topics));
             var raw = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topics.frames(), "junk", new byte[] {1, 2, 3})).get();
            byte[] jpeg = JpegCodec.encode(TestPattern.frame(0, 320, 180), 85);
            producer.sendFrame(new FrameIdentity("cam", "s1", 0, 0, System.currentTimeMillis() - 60_000, 320, 180, 25, "jpeg",
                    SourceKind.LIVE), jpeg);
            // Refused by the segmenter (a dead letter): the sink sees a gap in the camera's sequence.
            producer.sendFrame(new FrameIdentity("cam", "s1", 1, 40_000, System.currentTimeMillis(), 320, 180, 25, "jpeg",
                    SourceKind.LIVE), "not a JPEG".getBytes(StandardCharsets.US_ASCII));
            producer.sendFrame(new FrameIdentity("cam", "s1", 2, 80_000, System.currentTimeMillis(), 320, 180, 25, "jpeg",
                    SourceKind.LIVE), jpeg);
            producer.sendEnd(new StreamEnd("cam", "s1", 3));
            var result = new IngestJob(SourceSpec.parse(clip.toString()), IngestConfig.of(bootstrap, topics), producer,
                    new IngestMetrics(metrics.registry())).run();
            assertEquals(60, result.framesSent());
            try {
                await("both streams ended").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> tracker.hasEnded("clip", result.session()) && tracker.hasEnded("cam", "s1"));
            } catch (ConditionTimeoutException timedOut) {
                // the assertion below says what is missing
            }
            assertTrue(tracker.hasEnded("clip", result.session()), "the clip went through");
            Thread.sleep(3000); // metrics with the pipeline still up: lag, device, rates (scraped meanwhile; not a wait)
        }
    }

    private static JsonNode query(int port, String expr) throws Exception {
        var response = get("http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(response.body());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
