package org.segstream.launcher.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.contract.Topics;
import org.segstream.launcher.CliProcess;
import org.segstream.testsupport.ServiceProcess;

/**
 * One scenario's pipeline on the shared broker: topics of its own (the masks topic stamped with
 * log-append time, so a mask's timestamp is when it reached Kafka), and the real services as child
 * JVMs started by {@code ./segstream ingest|segmenter|sink}, each restartable with the same settings
 * after a kill -9. Application and group ids are the scenario's own, so scenarios never share state.
 */
final class PipelineUnderTest implements AutoCloseable {
    static final Path MODEL = Path.of("..", "models", "fcn8s-slim.json").toAbsolutePath().normalize();
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedKafkaBroker broker;
    private final String name;
    private final Topics topics;
    private final Path dir;
    private final Map<String, String> segmenterEnv = new HashMap<>();
    private final Map<String, String> sinkEnv = new HashMap<>();
    private final List<ServiceProcess> ingests = new ArrayList<>();
    private final List<String> hung = new ArrayList<>();
    private ServiceProcess segmenter;
    private ServiceProcess sink;
    private int segmenterMetricsPort;
    private int sinkMetricsPort;
    private int started;

    private PipelineUnderTest(EmbeddedKafkaBroker broker, String name, Path dir) {
        this.broker = broker;
        this.name = name;
        this.dir = dir;
        this.topics = new Topics(name + ".frames", name + ".masks", name + ".dead-letters", name + ".stats");
    }

    static PipelineUnderTest create(EmbeddedKafkaBroker broker, String name, Path parent, int partitions) throws Exception {
        var pipeline = new PipelineUnderTest(broker, name, Files.createDirectories(parent.resolve(name)));
        Map<String, String> sized = Map.of("max.message.bytes", String.valueOf(Topics.MAX_RECORD_BYTES));
        Map<String, String> appendTime = new HashMap<>(sized);
        appendTime.put("message.timestamp.type", "LogAppendTime");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(
                    new NewTopic(pipeline.topics.frames(), partitions, (short) 1).configs(sized),
                    new NewTopic(pipeline.topics.masks(), partitions, (short) 1).configs(appendTime),
                    new NewTopic(pipeline.topics.deadLetters(), partitions, (short) 1).configs(sized),
                    new NewTopic(pipeline.topics.stats(), partitions, (short) 1).configs(sized))).all().get();
        }
        return pipeline;
    }

    Topics topics() {
        return topics;
    }

    Path dir() {
        return dir;
    }

    Path outDir() {
        return dir.resolve("out");
    }

    private Map<String, String> common() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("SEGSTREAM_FRAMES_TOPIC", topics.frames());
        env.put("SEGSTREAM_MASKS_TOPIC", topics.masks());
        env.put("SEGSTREAM_DEAD_LETTERS_TOPIC", topics.deadLetters());
        env.put("SEGSTREAM_STATS_TOPIC", topics.stats());
        env.put("SEGSTREAM_METRICS_BIND", "127.0.0.1");
        // A killed member's partitions move on after this, instead of the 45 s default.
        env.put("KAFKA_CLIENT_SESSION_TIMEOUT_MS", "6000");
        env.put("KAFKA_CLIENT_HEARTBEAT_INTERVAL_MS", "1000");
        return env;
    }

    String segmenterApplicationId() {
        return name + "-segmenter";
    }

    /** Starts the segmenter with {@code settings} (SEGSTREAM_* overrides); {@link #restartSegmenter} reuses them. */
    ServiceProcess startSegmenter(Map<String, String> settings) throws IOException, InterruptedException {
        segmenterEnv.putAll(common());
        segmenterEnv.put("SEGSTREAM_MODEL", MODEL.toString());
        segmenterEnv.put("SEGSTREAM_DEVICE", "cpu");
        segmenterEnv.put("SEGSTREAM_APPLICATION_ID", segmenterApplicationId());
        segmenterEnv.put("SEGSTREAM_STATE_DIR", dir.resolve("segmenter-state").toString());
        segmenterEnv.putAll(settings);
        restartSegmenter();
        awaitSegmenterRunning(Duration.ofMinutes(3));
        return segmenter;
    }

    ServiceProcess restartSegmenter() throws IOException {
        segmenterMetricsPort = freePort();
        segmenterEnv.put("SEGSTREAM_METRICS_PORT", String.valueOf(segmenterMetricsPort));
        segmenter = CliProcess.start("segmenter", segmenterEnv, dir.resolve("segmenter-" + (++started) + ".log"));
        return segmenter;
    }

    /** Waits until the segmenter has loaded its model and its Kafka Streams instance is running. */
    void awaitSegmenterRunning(Duration timeout) {
        segmenter.awaitWhileAlive("the segmenter running", timeout, () -> segmenter.log().contains("segmenter running"));
    }

    /** Frames the segmenter instances restored from their pending-frames store at start-up (their "N frames restored" log lines). */
    long restoredFrames() throws IOException {
        long total = 0;
        var restored = java.util.regex.Pattern.compile("task \\S+: (\\d+) frames restored");
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("segmenter-")).toList()) {
                var m = restored.matcher(Files.readString(log));
                while (m.find()) {
                    total += Long.parseLong(m.group(1));
                }
            }
        }
        return total;
    }

    ServiceProcess segmenter() {
        return segmenter;
    }

    ServiceProcess startSink() throws IOException {
        sinkEnv.putAll(common());
        sinkEnv.put("SEGSTREAM_OUT_DIR", outDir().toString());
        sinkEnv.put("SEGSTREAM_SINK_GROUP_ID", name + "-sink");
        sinkEnv.put("SEGSTREAM_LIVE_PORT", "-1");
        return restartSink();
    }

    ServiceProcess restartSink() throws IOException {
        sinkMetricsPort = freePort();
        sinkEnv.put("SEGSTREAM_METRICS_PORT", String.valueOf(sinkMetricsPort));
        sink = CliProcess.start("sink", sinkEnv, dir.resolve("sink-" + (++started) + ".log"));
        return sink;
    }

    ServiceProcess sink() {
        return sink;
    }

    /** Frames the running sink instance has written since it started; -1 while its endpoint is not up. */
    long sinkFramesWritten() {
        return PrometheusScrape.total(sinkMetricsPort, "segstream_frames_written_total");
    }

    /** {@code ./segstream ingest --config FILE} for a streams file of {@code lines} ("cam.url = ...", "cam.pace = realtime"). */
    ServiceProcess startIngest(String label, List<String> lines) throws IOException {
        Path config = Files.write(dir.resolve(label + ".properties"), lines);
        Map<String, String> env = common();
        env.put("SEGSTREAM_METRICS_PORT", "-1");
        var ingest = CliProcess.start("ingest", List.of("--config", config.toString()), env, dir.resolve("ingest-" + label + ".log"));
        ingests.add(ingest);
        return ingest;
    }

    /** Frames of the matching streams shed by the running segmenter, by reason (its segstream_frames_dropped_total). */
    Map<String, Long> shedByReason(java.util.function.Predicate<String> streams) throws IOException, InterruptedException {
        return PrometheusScrape.sumByLabel(segmenterMetricsPort, "segstream_frames_dropped_total", "reason",
                labels -> streams.test(labels.getOrDefault("stream", "")));
    }

    /** Stops a service with SIGTERM; one that does not exit within 30 s is recorded as hung (and killed). */
    void stop(String what, ServiceProcess process) throws InterruptedException {
        if (process != null && !process.stop(STOP_TIMEOUT)) {
            hung.add(what + " did not exit within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM");
        }
    }

    /** Every service stopped; what did not stop in time. */
    List<String> stopAll() throws InterruptedException {
        for (int i = 0; i < ingests.size(); i++) {
            stop("ingest " + i, ingests.get(i));
        }
        stop("sink", sink);
        stop("segmenter", segmenter);
        return List.copyOf(hung);
    }

    /** The last lines of every log of this scenario, for a failure message. */
    String logTails() {
        var text = new StringBuilder();
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                text.append("--- ").append(log.getFileName()).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()))).append('\n');
            }
        } catch (IOException e) {
            text.append("(logs unreadable: ").append(e.getMessage()).append(")");
        }
        return text.toString();
    }

    @Override
    public void close() throws InterruptedException {
        stopAll();
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
