package org.segstream.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.scenes.TestPattern;
import org.segstream.segmenter.SegmenterApp;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.segmenter.model.Device;
import org.segstream.testsupport.KafkaBrokerExtension;
import org.segstream.testsupport.Waits;
import org.segstream.verify.DeliveryReport;
import org.segstream.verify.DeliveryVerifier;

/**
 * A live camera next to a file read as fast as Kafka gives it, against a real broker: the camera is well
 * within the segmenter's capacity, so none of its frames is shed although the file's backlog came first,
 * and every frame is accounted for (mask, dead letter or shed marker) from the topics alone.
 */
class LiveFirstIT {
    static final Path MODEL = Path.of("..", "models", "fcn8s-slim.json").toAbsolutePath();
    static final int PARTITIONS = 6;
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    static final int WARM_UP_FRAMES = 8;
    static final int CAMERA_FPS = 5;
    /**
     * The camera frames' deadline: long enough for the scheduling stalls of a 2-core machine shared with builds (up to
     * about a second seen), far shorter than the seconds the file's backlog takes to read and segment.
     */
    static final long MAX_FRAME_AGE_MS = 2000;

    @Test
    void aLiveCameraNextToAFileBacklogLosesNoFrameAndEveryFrameIsOnTheRecord(@TempDir Path dir) throws Exception {
        Topics topics = broker.createTopics("live-first", PARTITIONS);
        String camera = "cam";
        String file = "file";
        for (int i = 0; partition(file) == partition(camera); i++) {
            file = "file-" + i; // the documented limit: a camera behind a backlog on its own partition waits for it
        }
        assertNotEquals(partition(file), partition(camera));
        int fileFrames = 400;
        int liveFrames = 60;
        var config = SegmenterConfig.of(broker.bootstrapServers(), topics, MODEL, dir).withApplicationId("live-first")
                .withDevice(Device.CPU, 2).withMaxFrameAgeMs(MAX_FRAME_AGE_MS);
        // Two producers, as two ingest processes would be: the camera's sends never wait on the file's burst.
        try (var segmenter = SegmenterApp.start(config);
             var producer = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), topics));
             var fileProducer = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), topics))) {
            byte[] jpeg = JpegCodec.encode(TestPattern.frame(0, 160, 96), 85);
            // A segmenter that has run before: ONNX Runtime's first run at a new batch shape takes seconds here, which
            // would land on the camera's frames when the file's first full batch runs.
            for (int seq = 0; seq < WARM_UP_FRAMES; seq++) {
                fileProducer.sendFrame(identity("warm-up", seq, SourceKind.FILE, System.currentTimeMillis()), jpeg);
            }
            fileProducer.sendEnd(new StreamEnd("warm-up", "s1", WARM_UP_FRAMES));
            fileProducer.flush();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertTrue(
                    segmenter.stats().segmentedByStream().getOrDefault("warm-up", 0L) >= WARM_UP_FRAMES, "the warm-up file was segmented"));
            // A camera at 5 fps, well within what the segmenter does at 160x96 even on a busy machine; after 3 s a file
            // arrives whole: a backlog that takes the segmenter several seconds, read while the camera goes on.
            String fileStream = file;
            var fileSender = new Thread(() -> {
                for (int seq = 0; seq < fileFrames; seq++) {
                    fileProducer.sendFrame(identity(fileStream, seq, SourceKind.FILE, System.currentTimeMillis()), jpeg);
                }
                fileProducer.sendEnd(new StreamEnd(fileStream, "s1", fileFrames));
                fileProducer.flush();
            });
            for (int seq = 0; seq < liveFrames; seq++) {
                if (seq == 15) {
                    fileSender.start();
                }
                producer.sendFrame(identity(camera, seq, SourceKind.LIVE, System.currentTimeMillis()), jpeg);
                producer.flush();
                Thread.sleep(1000 / CAMERA_FPS); // the camera's pace, not a wait
            }
            fileSender.join();
            producer.sendEnd(new StreamEnd(camera, "s1", liveFrames));
            producer.flush();

            Predicate<String> all = stream -> true;
            Map<String, Long> shedByReason;
            try (var verifier = DeliveryVerifier.of(broker.bootstrapServers(), topics)) {
                assertTrue(verifier.awaitSettled(all, Duration.ofMinutes(3)), "both sessions ended on the masks topic");
                verifier.catchUp();
                DeliveryReport report = verifier.report(all);
                assertEquals(0, report.gaps(), report.toText());
                assertTrue(report.exactlyOnce(), report.toText());
                // Every frame is on the record: a mask, a dead letter or a shed marker, each exactly once.
                assertEquals(WARM_UP_FRAMES + fileFrames + liveFrames, report.masksOut() + report.shed(), report.toText());
                shedByReason = report.shedByReason();
            }
            Map<String, List<ConsumerRecord<String, byte[]>>> masks = readMasks(topics.masks(), 3, Duration.ofSeconds(30));
            List<ConsumerRecord<String, byte[]>> live = masks.get(camera);
            assertEquals(liveFrames + 1, live.size());
            // The camera is within capacity, so none of its frames is shed, although the file's backlog came first. (A
            // segmenter that reads the whole backlog before the camera's next record holds those records back for seconds,
            // past their age: they were shed, 12 to 15 of 80 at 10 fps when the backlog was 200 frames.)
            assertEquals(Map.of(), shedByReason,
                    "no camera frame is shed; the camera's frames (seq:kind:out/in ms after capture): " + describe(live));
            assertEquals(Map.of(), segmenter.stats().shedByStream().entrySet().stream().filter(e -> !e.getKey().equals(camera))
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "file frames are never shed");
        }
    }

    /** Each record as seq:kind:(segmenter out - capture, in - capture) ms. */
    private static String describe(List<ConsumerRecord<String, byte[]>> records) {
        var text = new StringBuilder();
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.headers().lastHeader(HeaderNames.SEGMENTER_OUT_MS) == null) {
                continue;
            }
            long capture = HeaderValues.integer(r.headers(), HeaderNames.CAPTURE_MS);
            text.append(HeaderValues.text(r.headers(), HeaderNames.SEQ)).append(':').append(HeaderValues.text(r.headers(), HeaderNames.KIND)).append(':')
                    .append(HeaderValues.integer(r.headers(), HeaderNames.SEGMENTER_OUT_MS) - capture).append('/')
                    .append(HeaderValues.integer(r.headers(), HeaderNames.SEGMENTER_IN_MS) - capture).append(' ');
        }
        return text.toString();
    }

    /** The masks topic (read_committed) by key, until {@code ends} end records arrived or the timeout. */
    private static Map<String, List<ConsumerRecord<String, byte[]>>> readMasks(String topic, int ends, Duration timeout) {
        Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers(), "isolation.level", "read_committed",
                "auto.offset.reset", "earliest", "group.id", "live-first-" + System.nanoTime());
        Map<String, List<ConsumerRecord<String, byte[]>>> byKey = new java.util.HashMap<>();
        var seen = new java.util.concurrent.atomic.AtomicInteger();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            // the callers assert on what was read
            Waits.readUntil(ends + " end records on " + topic, timeout, () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    byKey.computeIfAbsent(record.key(), k -> new java.util.ArrayList<>()).add(record);
                    seen.addAndGet("end".equals(HeaderValues.optionalText(record.headers(), HeaderNames.KIND)) ? 1 : 0);
                }
                return seen.get() >= ends;
            });
        }
        return byKey;
    }

    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static FrameIdentity identity(String stream, long seq, SourceKind kind, long captureMs) {
        return new FrameIdentity(stream, "s1", seq, seq * 1_000_000 / CAMERA_FPS, captureMs, 160, 96, CAMERA_FPS, "jpeg", kind);
    }
}
