package org.segstream.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.RecordKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.launcher.reliability.LiveCamera;
import org.segstream.scenes.TestClips;
import org.segstream.testsupport.KafkaBrokerExtension;
import org.segstream.testsupport.Waits;

/** {@code segstream ingest} against a real broker: a streams file (a dashcam folder, a sampled file); a live camera stopped by SIGTERM. */
class IngestCommandIT {
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    private static Topics topics(String prefix) throws Exception {
        return broker.createTopics(prefix, 2);
    }

    /** Frames per stream, end records' counts per stream and the last frame size per stream, until {@code streams} ends are in. */
    private static void read(Topics topics, Map<String, Long> frames, Map<String, Long> ends, Map<String, String> sizes, int streams) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.frames()));
            // the callers assert on what was read
            Waits.readUntil(streams + " end records on " + topics.frames(), Duration.ofSeconds(30), () -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (StreamEnd.kindOf(r.headers()) == RecordKind.END) {
                        var end = StreamEnd.readFrom(r.headers());
                        ends.put(end.stream(), end.frameCount());
                    } else {
                        var f = FrameIdentity.readFrom(r.headers());
                        frames.merge(f.stream(), 1L, Long::sum);
                        sizes.put(f.stream(), f.width() + "x" + f.height());
                    }
                }
                return ends.size() >= streams;
            });
        }
    }

    @Test
    void sigtermEndsALiveCamerasSessionCleanly(@TempDir Path dir) throws Exception {
        var camera = new LiveCamera(160, 90, 25);
        String url = camera.url();
        var topics = topics("sigterm");
        try (var ingest = CliProcess.start("ingest", Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "SEGSTREAM_FRAMES_TOPIC", topics.frames(), "SEGSTREAM_METRICS_PORT", "-1", "SEGSTREAM_SOURCES", "door=" + url),
                dir.resolve("ingest.log"))) {
            await().atMost(Duration.ofSeconds(40)).until(() -> ingest.log().contains("ingesting 'door'"));
            Thread.sleep(2000); // a couple of seconds of frames
            assertTrue(ingest.alive(), ingest.log());
            ingest.close(); // SIGTERM, as Ctrl-C or docker stop
            assertTrue(ingest.log().contains("session") && ingest.log().contains("stopped"), ingest.log());
        } finally {
            camera.close();
        }
        Map<String, Long> frames = new TreeMap<>();
        Map<String, Long> ends = new TreeMap<>();
        read(topics, frames, ends, new TreeMap<>(), 1);
        assertTrue(frames.getOrDefault("door", 0L) > 0, "frames from the camera");
        assertEquals(frames, ends, "the stopped session got its end record, counting every frame sent");
    }

    @Test
    void streamsFileDrivesTheIngestService(@TempDir Path dir) throws Exception {
        Path dashcam = Files.createDirectories(dir.resolve("dashcam"));
        TestClips.write(dashcam.resolve("0001.mkv"), 96, 64, 4, 25);
        TestClips.write(dashcam.resolve("0002.mkv"), 96, 64, 6, 25);
        TestClips.write(dir.resolve("lobby.mkv"), 160, 90, 25, 25);
        Path config = Files.writeString(dir.resolve("streams.properties"), """
                trip.url = dashcam
                trip.folder = per-file
                lobby.url = lobby.mkv
                lobby.fps = 5
                lobby.max-size = 80x80
                """);
        var topics = topics("cmd");
        var env = Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "SEGSTREAM_FRAMES_TOPIC", topics.frames(),
                "SEGSTREAM_METRICS_PORT", "-1");
        int code = SegstreamCli.run(new String[] {"ingest", "--config", config.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), env);
        assertEquals(0, code);

        Map<String, Long> frames = new TreeMap<>();
        Map<String, Long> ends = new TreeMap<>();
        Map<String, String> sizes = new TreeMap<>();
        read(topics, frames, ends, sizes, 3);
        assertEquals(Map.of("lobby", 5L, "trip-0001", 4L, "trip-0002", 6L), frames, "one stream per dashcam file, lobby at 5 fps");
        assertEquals(frames, ends, "every stream closed with its end record");
        assertEquals("80x45", sizes.get("lobby"));
        assertTrue(sizes.get("trip-0001").equals("96x64"));
    }
}
