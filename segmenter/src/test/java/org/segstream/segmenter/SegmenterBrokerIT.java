package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.RecordKind;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.scenes.TestPattern;
import org.segstream.segmenter.model.Device;
import org.segstream.service.MetricsServer;
import org.segstream.testsupport.KafkaBrokerExtension;
import org.segstream.testsupport.Waits;

/** The segmenter against a real broker: cross-stream batching, dead letters, shedding, start-up refusal. */
class SegmenterBrokerIT {
    static final Path MODEL = StandaloneSegmenter.MODEL;
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    private static Topics topics(String prefix) throws Exception {
        return broker.createTopics(prefix, 6);
    }

    private static SegmenterConfig config(Topics topics, String appId, int batch, long waitMs, Path state) {
        return config(topics, appId, batch, waitMs, 3000, state);
    }

    private static SegmenterConfig config(Topics topics, String appId, int batch, long waitMs, long maxFrameAgeMs, Path state) {
        return SegmenterConfig.of(broker.bootstrapServers(), topics, MODEL, state).withApplicationId(appId).withDevice(Device.CPU, 2)
                .withBatching(new SegmenterConfig.Batching(batch, waitMs, maxFrameAgeMs, SegmenterConfig.DEFAULT_LIVE_FIRST));
    }

    @Test
    void withMoreBusyStreamsThanTheBatchSizeBatchesAreNearlyFull(@TempDir Path dir) throws Exception {
        // Batches of live frames across streams, as on a GPU (the CPU's own choice is the next test's).
        double mean = meanBatchOfSixCameras(dir, "batching", 4);
        assertTrue(mean >= 0.9 * 4, "mean batch size " + mean + " should be at least 90 % of 4");
    }

    @Test
    void onTheCpuLiveFramesGoOneABatch(@TempDir Path dir) throws Exception {
        // A CPU batch costs as much as its frames one by one: a camera's frame waits for no other's.
        assertEquals(1.0, meanBatchOfSixCameras(dir, "cpubatch", SegmenterConfig.Batching.AUTO_LIVE_BATCH), 1e-9);
    }

    /** Six cameras at 10 fps, 30 frames each, through a segmenter at batch 4; the mean batch it ran. */
    private static double meanBatchOfSixCameras(Path dir, String name, int liveBatchSize) throws Exception {
        Topics topics = topics(name);
        int streams = 6;
        int frames = 30;
        // No frame may be shed here, however loaded the machine: this test counts batches, shedding has its own.
        SegmenterConfig config = config(topics, name, 4, 200, 600_000, dir)
                .withBatching(new SegmenterConfig.Batching(4, 200, 600_000, SegmenterConfig.DEFAULT_LIVE_FIRST, liveBatchSize));
        try (var metrics = MetricsServer.start("127.0.0.1", 0);
             var segmenter = SegmenterApp.start(config, metrics.registry());
             var cameras = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), topics))) {
            for (int seq = 0; seq < frames; seq++) { // six cameras at 10 fps each
                for (int s = 0; s < streams; s++) {
                    cameras.sendFrame(identity("cam-" + s, seq, SourceKind.LIVE, System.currentTimeMillis()),
                            JpegCodec.encode(TestPattern.frame(seq, 160, 96), 85));
                }
                cameras.flush();
                Thread.sleep(100); // the cameras' pace, not a wait
            }
            for (int s = 0; s < streams; s++) {
                cameras.sendEnd(new StreamEnd("cam-" + s, "s1", frames));
            }
            cameras.flush();
            Map<String, List<ConsumerRecord<String, byte[]>>> masks = read(topics.masks(), streams, Duration.ofSeconds(120));
            for (int s = 0; s < streams; s++) {
                assertEquals(frames + 1, masks.get("cam-" + s).size());
            }

            // The same figures on the process's metrics endpoint.
            String scrape = get("http://127.0.0.1:" + metrics.port() + "/metrics");
            assertTrue(scrape.contains("segstream_batch_size_bucket{le=\"4.0\"}"), scrape);
            assertTrue(scrape.contains("segstream_inference_device_info{provider=\"cpu\"} 1"), scrape);
            assertTrue(scrape.contains("segstream_frames_segmented_total{stream=\"cam-0\"} 30.0"), scrape);
            assertTrue(scrape.contains("segstream_inference_seconds_count"), scrape);
            assertTrue(scrape.contains("jvm_memory_used_bytes"), scrape);
            assertTrue(get("http://127.0.0.1:" + metrics.port() + "/-/healthy").toLowerCase(java.util.Locale.ROOT).contains("healthy"));
            return segmenter.stats().meanBatchSize();
        }
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicStaleLiveFramesAreShedAndTheRestGoesOn(@TempDir Path dir) throws Exception {
        Topics topics = topics("faults");
        try (var segmenter = SegmenterApp.start(config(topics, "faults", 2, 50, dir));
             var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer());
             var cameras = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), topics))) {
            byte[] jpeg = JpegCodec.encode(TestPattern.frame(0, 160, 96), 85);
            cameras.sendFrame(identity("file", 0, SourceKind.FILE, 0), jpeg);
            producer.send(new ProducerRecord<>(topics.frames(), "file", new byte[] {1, 2, 3})).get(); // no headers at all
            var garbage = new ProducerRecord<>(topics.frames(), "file", new byte[] {(byte) 0xff, (byte) 0xd8, 0, 0});
            identity("file", 1, SourceKind.FILE, 0).writeTo(garbage.headers());
            producer.send(garbage).get();
            var huge = new ProducerRecord<>(topics.frames(), "file", jpeg);
            new FrameIdentity("file", "s1", 1, 0, 0, 16384, 16384, 25, "jpeg", SourceKind.FILE).writeTo(huge.headers());
            producer.send(huge).get();
            cameras.sendFrame(identity("file", 1, SourceKind.FILE, 0), jpeg); // capture time 1970: old, but a file
            cameras.sendFrame(identity("cam", 0, SourceKind.LIVE, System.currentTimeMillis() - 60_000), jpeg);
            cameras.sendFrame(identity("cam", 1, SourceKind.LIVE, System.currentTimeMillis() + 60_000), jpeg);
            cameras.sendEnd(new StreamEnd("file", "s1", 2));
            cameras.sendEnd(new StreamEnd("cam", "s1", 2));
            cameras.flush();

            Map<String, List<ConsumerRecord<String, byte[]>>> masks = read(topics.masks(), 2, Duration.ofSeconds(60));
            assertEquals(List.of("0", "1", "end"), seqsAndEnds(masks.get("file")), "file frames are never dropped");
            assertEquals(List.of("0", "1", "end"), seqsAndEnds(masks.get("cam")), "the stale live frame was shed, its marker in its place");
            assertEquals("shed", HeaderValues.text(masks.get("cam").get(0).headers(), HeaderNames.KIND));
            assertEquals("stale", HeaderValues.text(masks.get("cam").get(0).headers(), HeaderNames.SHED_REASON));
            assertEquals(Map.of("cam/stale", 1L), segmenter.stats().droppedByStreamAndReason());

            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            read(topics.deadLetters(), 0, Duration.ofSeconds(5)).values().forEach(dead::addAll);
            assertEquals(3, dead.size());
            List<String> reasons = dead.stream().map(r -> HeaderValues.text(r.headers(), HeaderNames.ERROR)).sorted().toList();
            assertEquals("corrupt JPEG: byte 0x00 at offset 2 where a marker should start", reasons.get(0));
            assertEquals("frame of 16384x16384 is over the limit of 8294400 pixels", reasons.get(1));
            assertTrue(reasons.get(2).startsWith("missing header"), reasons.toString());
        }
    }

    @Test
    void aModelThatDoesNotMatchItsDescriptorStopsTheSegmenterWithAClearError(@TempDir Path dir) throws Exception {
        Path onnx = Files.copy(MODEL.resolveSibling("fcn8s-slim.onnx"), dir.resolve("fcn8s-slim.onnx"));
        Files.copy(MODEL, dir.resolve("fcn8s-slim.json"));
        Files.write(onnx, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("SEGSTREAM_MODEL", dir.resolve("fcn8s-slim.json").toString());
        env.put("SEGSTREAM_STATE_DIR", dir.resolve("state").toString());
        env.put("SEGSTREAM_METRICS_PORT", "0");
        Path log = dir.resolve("segmenter.log");
        try (var segmenter = StandaloneSegmenter.start(env, log)) {
            int code = segmenter.waitForExit(Duration.ofSeconds(60));
            assertNotEquals(0, code);
            String output = segmenter.log();
            assertTrue(output.contains("has sha256") && output.contains("refusing a swapped or damaged model"), output);
        }
    }

    static String get(String url) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    static FrameIdentity identity(String stream, long seq, SourceKind kind, long captureMs) {
        return new FrameIdentity(stream, "s1", seq, seq * 100_000, captureMs, 160, 96, 10, "jpeg", kind);
    }

    static List<String> seqsAndEnds(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> StreamEnd.kindOf(r.headers()) == RecordKind.END ? "end" : HeaderValues.text(r.headers(), HeaderNames.SEQ)).toList();
    }

    /** Reads a topic (read_committed) until {@code ends} end records arrived, or for the whole timeout when 0. */
    static Map<String, List<ConsumerRecord<String, byte[]>>> read(String topic, int ends, Duration timeout) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "verifier-" + System.nanoTime());
        Map<String, List<ConsumerRecord<String, byte[]>>> byKey = new HashMap<>();
        var seen = new AtomicInteger();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            // With ends 0 this reads for the whole timeout; either way the callers assert on what was read.
            Waits.readUntil(ends + " end records on " + topic, timeout, () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
                    var kind = record.headers().lastHeader(HeaderNames.KIND);
                    if (kind != null && new String(kind.value(), StandardCharsets.UTF_8).equals("end")) {
                        seen.incrementAndGet();
                    }
                }
                return ends > 0 && seen.get() >= ends;
            });
        }
        return byKey;
    }
}
