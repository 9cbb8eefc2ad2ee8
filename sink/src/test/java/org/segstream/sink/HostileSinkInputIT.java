package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.ClassMap;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.MaskPng;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.scenes.TestPattern;
import org.segstream.service.MetricsServer;
import org.segstream.testsupport.KafkaBrokerExtension;
import org.segstream.testsupport.TestTopics;
import org.segstream.video.VideoFileInfo;

/**
 * The sink and its live page against hostile input on a real broker: masks written straight to the
 * masks topic (no segmenter) with ids that are no paths (NUL, 300 characters, {@code ..},
 * {@code ../../x}, absolute), a mask pointing at frames partition 99, 2,000 distinct stream ids of one
 * frame each and no end record, and 500 MJPEG viewers that connect and leave. The sink keeps running,
 * restarts without stumbling on the same records, keeps files, threads, metric series and its maps
 * within their caps, lets go of sessions that never end, and still writes a good stream afterwards.
 * Prints the process's figures (RSS, open files, threads, /metrics size) at each step.
 */
class HostileSinkInputIT {
    static final int W = 64;
    static final int H = 48;
    static final int FLOOD = 2000;
    static final int MJPEG_CLIENTS = 500;
    static final Duration IDLE = Duration.ofSeconds(20);
    static final StreamLimits LIMITS = new StreamLimits(IDLE, StreamLimits.DEFAULT_MAX_STREAMS);
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    private final Set<String> ended = new CopyOnWriteArraySet<>();
    private final StringBuilder report = new StringBuilder();
    private KafkaProducer<String, byte[]> producer;
    private Topics topics;
    private int probes;

    @Test
    void hostileMasksAndViewersNeitherStopTheSinkNorGrowIt(@TempDir Path dir) throws Exception {
        topics = Topics.defaults();
        Path out = dir.resolve("out");
        TestTopics.create(broker.bootstrapServers(), topics, 2);
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "linger.ms", 5),
                new StringSerializer(), new ByteArraySerializer());
        SinkConfig config = SinkConfig.of(broker.bootstrapServers(), topics, out, false).withLimits(LIMITS);
        SinkListener probe = new SinkListener() {
            @Override
            public void streamEnded(StreamEnd end, long framesWritten) {
                ended.add(end.stream());
            }
        };
        try (var live = LiveView.start(LiveViewConfig.on("127.0.0.1", 0), LIMITS);
             var metrics = MetricsServer.start("127.0.0.1", 0)) {
            SinkListener listener = SinkListener.all(live, probe);

            // 1. A first sink meets the hostile ids and the partition-99 mask, next to a live camera.
            SinkApp first = SinkApp.start(config, listener);
            for (int seq = 0; seq < 3; seq++) {
                frame("cam", "s1", seq, SourceKind.LIVE);
            }
            byte[] png = MaskPng.encode(new ClassMap(W, H, new byte[W * H]));
            RecordMetadata aFrame = sendFrame("cam", "s1", 99);
            List<String> hostile = List.of("nul\u0000id", "x".repeat(300), "..", "../../x", "/tmp/segstream-escape", "a\nb");
            for (String id : hostile) {
                sendMask(identity(id, "s1", 0, SourceKind.LIVE), aFrame.partition(), aFrame.offset(), png);
            }
            long start = System.nanoTime();
            sendMask(identity("far", "s1", 0, SourceKind.LIVE), 99, 0, png);
            awaitHandled(first);
            double seconds = (System.nanoTime() - start) / 1e9;
            report.append(String.format("hostile ids and the partition-99 mask handled in %.1f s%n", seconds));
            assertTrue(seconds < 10, "the partition-99 mask is skipped quickly, not after 60 s: " + seconds + " s");
            assertTrue(first.healthy(), "the sink runs on: " + first.failure());

            // 2. Restarted in a new group, so it reads every record again (as after a crash before a commit): no crash loop.
            first.close();
            assertFalse(first.healthy());
            config = config.withGroupId("segstream-sink-restarted");
            SinkApp sink = SinkApp.start(config, listener, metrics.registry());
            awaitHandled(sink);
            assertTrue(sink.healthy(), "no crash loop on the same records: " + sink.failure());
            String scrape = scrape(metrics.port());
            assertEquals(1.0, counter(scrape, "segstream_frames_skipped_total", "reason", "bad_name", "stream", "(invalid)"), scrape);
            assertEquals(1.0, counter(scrape, "segstream_frames_skipped_total", "reason", "no_such_frame", "stream", "far"), scrape);
            assertEquals(3.0, counter(scrape, "segstream_frames_skipped_total", "reason", "duplicate", "stream", "cam"),
                    "what the first sink wrote is not written again");
            for (String id : List.of("..", "../../x", "/tmp/segstream-escape")) {
                assertTrue(Files.isDirectory(out.resolve(encoded(id)).resolve("s1")), id + " has its folder under out/");
            }
            assertFalse(Files.exists(Path.of("/tmp/segstream-escape")), "an absolute id is no path");
            assertNoFileOutside(out, dir);
            Figures baseline = measure("baseline (after the hostile ids)", metrics.port(), live.port());

            // 3. 500 MJPEG viewers of a stream with no new frame connect and leave.
            mjpegClients(live.port(), baseline);

            // 4. 2,000 stream ids of one frame each, no end record.
            for (int i = 0; i < FLOOD; i++) {
                frame(String.format("flood-%04d", i), "s1", 0, SourceKind.LIVE);
            }
            awaitHandled(sink);
            Figures flooded = measure("after " + FLOOD + " ids of one frame each", metrics.port(), live.port());
            assertTrue(sink.healthy());
            assertTrue(flooded.openOverlays(out) <= LIMITS.maxStreams(), "open files within the cap: " + flooded.openOverlays(out));
            assertTrue(flooded.fds() <= baseline.fds() + LIMITS.maxStreams() + 20, "fds: " + baseline + " -> " + flooded);
            assertTrue(flooded.trackedStreams() <= LIMITS.maxStreams(), "tracked: " + flooded.trackedStreams());
            assertTrue(flooded.pageStreams() <= LIMITS.maxStreams(), "on the page: " + flooded.pageStreams());
            // per stream: written, gaps, a latency histogram of 23 buckets, +Inf, count, sum: under 30 lines
            assertTrue(flooded.streamSeries() <= LIMITS.maxStreams() * 30L + 50, "lines with a stream: " + flooded.streamSeries());
            assertTrue(flooded.metricsBytes() < 300_000, "/metrics: " + flooded.metricsBytes() + " bytes");

            // 5. Nothing more comes for the idle timeout: every open session is closed as incomplete, the commit moves on.
            // Not looked at before the idle timeout has passed; then as long as the machine needs to close the files.
            Awaitility.await("every idle session closed").pollDelay(IDLE).atMost(IDLE.plusSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> partFiles(out) == 0);
            Figures idle = measure("after " + IDLE.toSeconds() + " s idle", metrics.port(), live.port());
            assertEquals(0, idle.openOverlays(out), "every never-ending session is finalised");
            assertTrue(Files.exists(out.resolve("flood-0000/s1/INCOMPLETE")), "and says so");
            assertTrue(idle.fds() <= baseline.fds() + 10, "fds back: " + idle);
            assertEquals(0, idle.trackedStreams());

            // 6. A good stream afterwards is written whole, and the committed offsets reach the end of the masks topic.
            for (int seq = 0; seq < 5; seq++) {
                frame("good", "s1", seq, SourceKind.FILE);
            }
            sendEnd("good", "s1", 5);
            awaitHandled(sink);
            assertEquals(5, VideoFileInfo.read(out.resolve("good/s1/overlay-000000.mp4")).frames());
            assertTrue(sink.healthy());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                awaitCommittedToEnd(admin, config.groupId());
            }
            measure("after the good stream", metrics.port(), live.port());
            assertNoFileOutside(out, dir);
            sink.close();
        } finally {
            producer.close();
            System.out.println("HostileSinkInputIT figures:\n" + report);
        }
    }

    /** 500 viewers connect to one MJPEG stream and leave; the viewer threads go back to the baseline within seconds. */
    private void mjpegClients(int port, Figures baseline) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        Map<String, Integer> statuses = new HashMap<>();
        for (int i = 0; i < MJPEG_CLIENTS; i++) {
            var socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /live/cam.mjpg HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            sockets.add(socket);
        }
        for (Socket socket : sockets) {
            String status = readLine(socket.getInputStream()).split(" ")[1];
            statuses.merge(status, 1, Integer::sum);
        }
        long peakThreads = osThreads();
        long peakViewers = viewerThreads();
        for (Socket socket : sockets) {
            socket.close();
        }
        long left = System.nanoTime();
        // The keep-alive (every 2 s) notices a gone viewer; the bound is generous because the machine is shared.
        Awaitility.await("viewer threads end once the viewers are gone").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                .until(() -> viewerThreads() == 0);
        double back = (System.nanoTime() - left) / 1e9;
        report.append(String.format("%d MJPEG viewers: answers %s; threads %d -> %d at the peak (%d live-view threads) -> %d %.1f s"
                        + " after they left (live-view threads 0)%n", MJPEG_CLIENTS, statuses, baseline.threads(), peakThreads, peakViewers,
                osThreads(), back));
        assertEquals(LiveViewConfig.DEFAULT_MAX_VIEWERS, statuses.getOrDefault("200", 0), statuses.toString());
        assertEquals(MJPEG_CLIENTS - LiveViewConfig.DEFAULT_MAX_VIEWERS, statuses.getOrDefault("503", 0), statuses.toString());
        assertTrue(peakViewers <= LiveViewConfig.DEFAULT_MAX_VIEWERS + 4, "a fixed pool: " + peakViewers);
    }

    /** What the process holds at a moment. */
    record Figures(long rssKb, long fds, long threads, long metricsBytes, long streamSeries, long trackedStreams, long pageStreams) {
        long openOverlays(Path out) throws IOException {
            return partFiles(out);
        }
    }

    /** Files the sink has open (written under a .part name until finalised) anywhere below {@code out}. */
    static long partFiles(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).count();
        }
    }

    private Figures measure(String when, int metricsPort, int livePort) throws Exception {
        String scrape = scrape(metricsPort);
        long series = scrape.lines().filter(l -> !l.startsWith("#") && l.contains("stream=\"")).count();
        long tracked = scrape.lines().filter(l -> l.startsWith("segstream_sink_streams ")).mapToLong(l -> (long) Double.parseDouble(
                l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
        long page = new ObjectMapper().readTree(get("http://127.0.0.1:" + livePort + "/api/streams")).size();
        long fds;
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            fds = open.count();
        }
        var figures = new Figures(status("VmRSS"), fds, osThreads(), scrape.getBytes(StandardCharsets.UTF_8).length, series, tracked, page);
        report.append(String.format("%-40s RSS %,d kB, %d fds, %d threads, /metrics %,d bytes with %d stream series, %d streams tracked,"
                + " %d on the page%n", when + ":", figures.rssKb(), figures.fds(), figures.threads(), figures.metricsBytes(),
                figures.streamSeries(), figures.trackedStreams(), figures.pageStreams()));
        return figures;
    }

    private static long osThreads() throws IOException {
        return status("Threads");
    }

    private static long viewerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("segstream-live-view")).count();
    }

    private static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no " + field + " in /proc/self/status");
    }

    private void frame(String stream, String session, long seq, SourceKind kind) throws Exception {
        RecordMetadata frame = sendFrame(stream, session, seq);
        sendMask(identity(stream, session, seq, kind), frame.partition(), frame.offset(),
                MaskPng.encode(new ClassMap(W, H, new byte[W * H])));
    }

    private static FrameIdentity identity(String stream, String session, long seq, SourceKind kind) {
        return new FrameIdentity(stream, session, seq, seq * 100_000, System.currentTimeMillis(), W, H, 10, "jpeg", kind,
                System.currentTimeMillis());
    }

    private RecordMetadata sendFrame(String stream, String session, long seq) throws Exception {
        var headers = new RecordHeaders();
        identity(stream, session, seq, SourceKind.LIVE).writeTo(headers);
        byte[] jpeg = JpegCodec.encode(TestPattern.frame((int) seq, W, H), 85);
        return producer.send(new ProducerRecord<>(topics.frames(), null, stream, jpeg, headers)).get();
    }

    private void sendMask(FrameIdentity identity, long framePartition, long frameOffset, byte[] png) {
        var headers = new RecordHeaders();
        identity.withEncoding("png").writeTo(headers);
        HeaderValues.put(headers, HeaderNames.FRAME_PARTITION, framePartition);
        HeaderValues.put(headers, HeaderNames.FRAME_OFFSET, frameOffset);
        producer.send(new ProducerRecord<>(topics.masks(), null, identity.stream(), png, headers));
    }

    private void sendEnd(String stream, String session, long frames) {
        var headers = new RecordHeaders();
        new StreamEnd(stream, session, frames).writeTo(headers);
        producer.send(new ProducerRecord<>(topics.masks(), null, stream, new byte[0], headers));
    }

    /** Sends an end record of a probe stream to every masks partition and waits until the sink has seen them all. */
    private void awaitHandled(SinkApp sink) throws Exception {
        List<String> sent = new ArrayList<>();
        for (int partition = 0; partition < 2; partition++) {
            String probe = "probe-" + probes++;
            var headers = new RecordHeaders();
            new StreamEnd(probe, "s", 0).writeTo(headers);
            producer.send(new ProducerRecord<>(topics.masks(), partition, probe, new byte[0], headers));
            sent.add(probe);
        }
        producer.flush();
        Awaitility.await("the sink reads up to the probes").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                .until(() -> ended.containsAll(sent) || !sink.healthy());
    }

    private static void awaitCommittedToEnd(Admin admin, String group) {
        Awaitility.await("the sink's commits reach the end of the masks topic").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    Map<TopicPartition, Long> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                            .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                    Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                            .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
                    var ends = admin.listOffsets(latest).all().get();
                    boolean atEnd = !committed.isEmpty()
                            && committed.entrySet().stream().allMatch(e -> e.getValue() == ends.get(e.getKey()).offset());
                    assertTrue(atEnd, "committed " + committed + ", ends " + ends);
                });
    }

    /** The folder name the sink gives a stream id (docs/topics.md, "Folder names"). */
    private static String encoded(String id) {
        StringBuilder out = new StringBuilder();
        byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xff;
            if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_' || (b == '.' && i > 0)) {
                out.append((char) b);
            } else if (b >= 'A' && b <= 'Z') {
                out.append('^').append((char) (b + 32));
            } else {
                out.append(String.format("%%%02X", b));
            }
        }
        return out.toString();
    }

    static void assertNoFileOutside(Path out, Path parent) throws IOException {
        try (Stream<Path> files = Files.walk(parent)) {
            List<Path> outside = files.filter(p -> !Files.isDirectory(p)).filter(p -> !p.normalize().startsWith(out.normalize())).toList();
            assertEquals(List.of(), outside, "files outside the output folder");
        }
    }

    /** The value of the sample of {@code name} with these label pairs (in any order), NaN if there is none. */
    static double counter(String scrape, String name, String... labels) {
        return scrape.lines().filter(l -> l.startsWith(name + "{")).filter(l -> {
            for (int i = 0; i < labels.length; i += 2) {
                if (!l.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                    return false;
                }
            }
            return true;
        }).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
    }

    private static String scrape(int port) throws Exception {
        return get("http://127.0.0.1:" + port + "/metrics");
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != -1 && b != '\n'; ) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
