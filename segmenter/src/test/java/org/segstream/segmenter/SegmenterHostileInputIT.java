package org.segstream.segmenter;

import static org.segstream.contract.JpegEdits.asFourComponents;
import static org.segstream.contract.JpegEdits.withSofSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.SourceKind;
import org.segstream.contract.Topics;
import org.segstream.scenes.TestPattern;
import org.segstream.testsupport.KafkaBrokerExtension;
import org.segstream.testsupport.ServiceProcess;
import org.segstream.testsupport.TestTopics;

/**
 * The segmenter, as its own JVM against a real broker, fed records built to hurt it (the ones seen in
 * use: a megabytes-long header, a truncated JPEG that declares 4K, a value that only compression let
 * in, images that are not frames): each becomes one small dead letter, the process stays up and
 * keeps segmenting, its resident memory does not grow, and a restart goes on past them instead of
 * failing on the same record again. Prints the RSS figures.
 */
class SegmenterHostileInputIT {
    static final Topics TOPICS = Topics.defaults();
    static final int W = 640;
    static final int H = 360;
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    private record Hostile(String name, String key, RecordHeaders headers, byte[] value, boolean compressed) {
    }

    @Test
    void hostileRecordsEndAsSmallDeadLettersMemoryStaysFlatAndARestartGoesOn(@TempDir Path dir) throws Exception {
        TestTopics.create(broker.bootstrapServers(), TOPICS, 2);
        try (var plain = producer(broker.bootstrapServers(), "none");
             var gzip = producer(broker.bootstrapServers(), "gzip");
             var masks = consumer(broker.bootstrapServers(), TOPICS.masks());
             var deadLetters = consumer(broker.bootstrapServers(), TOPICS.deadLetters())) {
            Map<String, String> env = StandaloneSegmenter.env(broker.bootstrapServers(), dir.resolve("state"));
            List<ConsumerRecord<String, byte[]>> maskRecords = new ArrayList<>();
            List<ConsumerRecord<String, byte[]>> deadRecords = new ArrayList<>();
            List<Hostile> hostile = hostileRecords();

            long rssWarm;
            long rssAfter;
            try (ServiceProcess segmenter = StandaloneSegmenter.start(env, dir.resolve("segmenter-1.log"))) {
                sendGood(plain, 0, 16);
                await(masks, maskRecords, 16, segmenter, "the first 16 masks");
                long rssStart = rss(segmenter, "after 16 good frames");
                sendGood(plain, 16, 16);
                await(masks, maskRecords, 32, segmenter, "32 masks");
                rssWarm = rss(segmenter, "after 16 more good frames (the drift of normal work)");
                System.out.printf("RSS drift of 16 good frames: %+d MiB%n", (rssWarm - rssStart) >> 20);

                for (Hostile h : hostile) {
                    long before = status(segmenter.pid(), "VmRSS:");
                    long sent = System.nanoTime();
                    (h.compressed() ? gzip : plain).send(new ProducerRecord<>(TOPICS.frames(), null, h.key(), h.value(), h.headers())).get();
                    await(deadLetters, deadRecords, deadRecords.size() + 1, segmenter, "the dead letter of the " + h.name());
                    long after = status(segmenter.pid(), "VmRSS:");
                    System.out.printf("RSS %5d -> %5d MiB (%+4d), dead letter in %5d ms: %s%n", before >> 20, after >> 20,
                            (after - before) >> 20, (System.nanoTime() - sent) / 1_000_000, h.name());
                }
                sendGood(plain, 32, 8);
                await(masks, maskRecords, 40, segmenter, "40 masks");
                Thread.sleep(2000); // the segmenter idles a moment before the RSS reading: not a wait for a condition
                rssAfter = rss(segmenter, "after the " + hostile.size() + " hostile records and 8 more good frames");
                System.out.println(jcmd(segmenter.pid(), "GC.heap_info"));
                assertTrue(segmenter.alive());

                // A valid frame within the limit, but 4K among 640x360 ones: the model grows for it, then gives it back.
                long sent = System.nanoTime();
                plain.send(new ProducerRecord<>(TOPICS.frames(), null, "big",
                        JpegCodec.encode(new org.segstream.contract.BgrImage(3840, 2160, new byte[3840 * 2160 * 3]), 85),
                        identity("big", 0, 3840, 2160))).get();
                await(masks, maskRecords, 41, segmenter, "the 4K frame's mask");
                long inferenceMs = (System.nanoTime() - sent) / 1_000_000;
                long after4k = rss(segmenter, "after a valid 3840x2160 frame (" + inferenceMs + " ms)");
                sendGood(plain, 40, 8);
                await(masks, maskRecords, 49, segmenter, "49 masks");
                rss(segmenter, "after 8 more good frames");
                assertTrue(after4k - rssAfter < 512L << 20, "the 4K frame's memory was not given back");
                String log = segmenter.log();
                assertFalse(log.contains("9".repeat(300)), "the 4.8 MB header reached the log");
                assertTrue(log.length() < 200_000, "log of " + log.length() + " characters");
                assertTrue(segmenter.stop(Duration.ofSeconds(60)), "a clean stop");
            }

            assertEquals(hostile.size(), deadRecords.size());
            for (ConsumerRecord<String, byte[]> dead : deadRecords) {
                String error = header(dead, HeaderNames.ERROR);
                System.out.println("dead letter of " + size(dead) + " bytes: " + error);
                assertFalse(error.contains("\n"), error);
                assertTrue(error.length() <= 1_100, error);
                assertTrue(size(dead) < Topics.MAX_RECORD_BYTES - 64 * 1024, size(dead) + " bytes");
            }
            assertTrue(rssAfter - rssWarm < 300L << 20, "resident memory grew from " + (rssWarm >> 20) + " to " + (rssAfter >> 20) + " MiB");

            // Restarted, it goes on from where it was: no record fails it again, none is dead-lettered twice.
            try (ServiceProcess segmenter = StandaloneSegmenter.start(env, dir.resolve("segmenter-2.log"))) {
                sendGood(plain, 48, 8);
                await(masks, maskRecords, 57, segmenter, "57 masks after the restart");
                // For a few seconds after the new masks: no record of before fails again.
                Awaitility.await("no dead letter again after the restart").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                        .pollInSameThread().until(() -> {
                            deadLetters.poll(Duration.ofMillis(100)).forEach(deadRecords::add);
                            return deadRecords.size() == hostile.size();
                        });
                assertEquals(hostile.size(), deadRecords.size(), "no dead letter again after the restart");
                assertTrue(segmenter.alive());
            }
            List<String> goodSeqs = maskRecords.stream().filter(r -> "good".equals(r.key())).map(r -> header(r, HeaderNames.SEQ)).toList();
            assertEquals(56, goodSeqs.size());
            assertEquals(56, goodSeqs.stream().distinct().count(), "each good frame once");
        }
    }

    /** The records seen hurting the segmenter in use, and a few of their kind. */
    static List<Hostile> hostileRecords() throws Exception {
        byte[] frame = JpegCodec.encode(TestPattern.frame(0, W, H), 85);
        List<Hostile> out = new ArrayList<>();

        RecordHeaders longSeq = identity("cam-x", 0, W, H);
        HeaderValues.put(longSeq, HeaderNames.SEQ, "9".repeat(4_800_000));
        out.add(new Hostile("4.8 MB seq header", "cam-x", longSeq, frame, false));

        out.add(new Hostile("truncated JPEG declaring 3840x2160", "cam-x", identity("cam-x", 1, 3840, 2160),
                withSofSize(Arrays.copyOf(frame, 1200), 3840, 2160), false));

        byte[] small = JpegCodec.encode(TestPattern.frame(0, 64, 36), 85);
        out.add(new Hostile("complete 2 KB JPEG declaring 3840x2160", "cam-x", identity("cam-x", 2, 3840, 2160),
                withSofSize(small, 3840, 2160), false));
        out.add(new Hostile("JPEG declaring 7680x4320", "cam-x", identity("cam-x", 3, 7680, 4320), withSofSize(small, 7680, 4320), false));

        out.add(new Hostile("value of 9.5 MB (gzip let it in)", "cam-x", identity("cam-x", 4, W, H), Arrays.copyOf(frame, 9_500_000), true));

        var image = new java.awt.image.BufferedImage(W, H, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        out.add(new Hostile("PNG", "cam-x", identity("cam-x", 5, W, H), encode(image, "png"), false));
        out.add(new Hostile("greyscale JPEG", "cam-x", identity("cam-x", 6, W, H),
                encode(new java.awt.image.BufferedImage(W, H, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "jpeg"), false));
        out.add(new Hostile("CMYK JPEG", "cam-x", identity("cam-x", 7, W, H), asFourComponents(frame), false));
        out.add(new Hostile("size mismatch", "cam-x", identity("cam-x", 8, 1280, 720), frame, false));
        out.add(new Hostile("key with a newline", "cam-x\n01:02:03 INFO forged", identity("cam-x", 9, W, H), frame, false));
        return out;
    }

    static void sendGood(KafkaProducer<String, byte[]> producer, int from, int count) throws Exception {
        for (int seq = from; seq < from + count; seq++) {
            producer.send(new ProducerRecord<>(TOPICS.frames(), null, "good", JpegCodec.encode(TestPattern.frame(seq, W, H), 85),
                    identity("good", seq, W, H))).get();
        }
    }

    static RecordHeaders identity(String stream, long seq, int width, int height) {
        var headers = new RecordHeaders();
        new FrameIdentity(stream, "session-1", seq, seq * 40_000L, System.currentTimeMillis(), width, height, 25, "jpeg", SourceKind.FILE)
                .writeTo(headers);
        return headers;
    }

    static void await(KafkaConsumer<String, byte[]> consumer, List<ConsumerRecord<String, byte[]>> into, int count, ServiceProcess segmenter,
                      String what) {
        segmenter.awaitWhileAlive(what, Duration.ofSeconds(180), () -> {
            consumer.poll(Duration.ofMillis(500)).forEach(into::add);
            return into.size() >= count;
        });
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap, String compression) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024); // the broker, not this client, decides
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<String, byte[]> consumer(String bootstrap, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "hostile-" + topic + "-" + System.nanoTime());
        var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    static long rss(ServiceProcess segmenter, String when) throws Exception {
        long rss = status(segmenter.pid(), "VmRSS:");
        System.out.printf("segmenter RSS %d MiB (peak %d MiB) %s%n", rss >> 20, status(segmenter.pid(), "VmHWM:") >> 20, when);
        return rss;
    }

    /** What {@code jcmd PID COMMAND} prints (the segmenter's heap, to tell it from native memory). */
    static String jcmd(long pid, String command) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), command)
                .redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        return out;
    }

    /** A field of /proc/PID/status in bytes (VmRSS: resident now, VmHWM: the peak). */
    static long status(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError(field + " not in /proc/" + pid + "/status");
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static long size(ConsumerRecord<String, byte[]> record) {
        long bytes = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
        for (Header h : record.headers().toArray()) {
            bytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return bytes;
    }

    static byte[] encode(java.awt.image.BufferedImage image, String format) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, format, bytes);
        return bytes.toByteArray();
    }
}
