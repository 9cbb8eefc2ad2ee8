package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.scenes.TestPattern;
import org.segstream.testsupport.KafkaBrokerExtension;
import org.segstream.testsupport.ServiceProcess;
import org.segstream.testsupport.TestTopics;

/**
 * Kill -9 the segmenter (a separate JVM) three times while frames sit in its pending batch; after
 * the restarts, every (stream, session, seq) must be in the masks topic exactly once, in order, for
 * read_committed readers, followed by its stream's end record.
 */
class SegmenterCrashIT {
    static final int STREAMS = 3;
    static final int FRAMES = 30;
    static final int BATCH = 8;
    static final Topics TOPICS = Topics.defaults();
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    /**
     * Each round sends a few frames per stream so that the total is not a multiple of the batch size,
     * waits until the full batches' masks are committed, and kills the segmenter while the remainder
     * sits in a pending batch (the batch timer is 10 s). The next instance must restore exactly that
     * remainder from the pending-frames store.
     */
    @Test
    void killMinus9MidBatchThreeTimesLosesAndDoublesNothing(@TempDir Path dir) throws Exception {
        TestTopics.create(broker.bootstrapServers(), TOPICS, 4);
        try (var cameras = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), TOPICS))) {
            Map<String, String> env = segmenterEnv(broker.bootstrapServers(), dir.resolve("state"));
            var verifier = new MaskVerifier(broker.bootstrapServers(), TOPICS);
            int sent = 0;
            int pendingAtKill = 0;
            for (int ticks : new int[] {5, 6, 7}) {
                Path log = dir.resolve("segmenter-" + sent + ".log");
                try (ServiceProcess segmenter = StandaloneSegmenter.start(env, log)) {
                    for (int t = 0; t < ticks; t++) {
                        sendTick(cameras, sent / STREAMS);
                        sent += STREAMS;
                    }
                    verifier.awaitAtLeast(sent - sent % BATCH, Duration.ofSeconds(120), segmenter);
                    // Kill only once the remainder is admitted and committed (store and input offsets commit together):
                    // a fixed pause was too short on a loaded machine, and the frames not yet committed were then read
                    // again from the frames topic instead of restored from the store.
                    awaitAllFramesCommitted(broker.bootstrapServers(), sent, segmenter);
                    segmenter.kill();
                    assertEquals(sent - sent % BATCH, verifier.masks(), "only full batches ran");
                    assertEquals(pendingAtKill, restoredFrames(segmenter.log()),
                            "the restarted segmenter restored exactly the frames pending at the last kill");
                    pendingAtKill = sent % BATCH;
                    assertTrue(pendingAtKill > 0);
                }
            }
            while (sent < STREAMS * FRAMES) {
                sendTick(cameras, sent / STREAMS);
                sent += STREAMS;
            }
            for (int s = 0; s < STREAMS; s++) {
                cameras.sendEnd(new StreamEnd("cam-" + s, "session-" + s, FRAMES));
            }
            cameras.flush();
            try (ServiceProcess segmenter = StandaloneSegmenter.start(env, dir.resolve("segmenter-final.log"))) {
                verifier.awaitEnds(STREAMS, Duration.ofSeconds(180), segmenter);
                assertEquals(pendingAtKill, restoredFrames(segmenter.log()));
            }
            verifier.assertExactlyOnceInOrder(STREAMS, FRAMES);
        }
    }

    /** Waits until the segmenter's consumer group has committed the position after every frame sent. */
    static void awaitAllFramesCommitted(String bootstrap, int sent, ServiceProcess segmenter) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            segmenter.awaitWhileAlive("committed offsets past all " + sent + " frames", Duration.ofSeconds(60), () -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(SegmenterConfig.DEFAULT_APPLICATION_ID)
                        .partitionsToOffsetAndMetadata().get();
                long total = committed.entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(TOPICS.frames()) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                return total >= sent;
            });
        }
    }

    /** Sum of "task X: N frames restored" over the tasks of one segmenter's log. */
    static int restoredFrames(String log) {
        int total = 0;
        var matcher = java.util.regex.Pattern.compile("task \\S+: (\\d+) frames restored").matcher(log);
        while (matcher.find()) {
            total += Integer.parseInt(matcher.group(1));
        }
        return total;
    }

    static void sendTick(FrameProducer producer, int seq) {
        for (int s = 0; s < STREAMS; s++) {
            var identity = new FrameIdentity("cam-" + s, "session-" + s, seq, seq * 40_000L, System.currentTimeMillis(),
                    320, 180, 25, "jpeg", SourceKind.FILE);
            producer.sendFrame(identity, JpegCodec.encode(TestPattern.frame(seq, 320, 180), 85));
        }
        producer.flush();
    }

    static Map<String, String> segmenterEnv(String bootstrap, Path stateDir) {
        Map<String, String> env = StandaloneSegmenter.env(bootstrap, stateDir);
        env.put("SEGSTREAM_BATCH_SIZE", String.valueOf(BATCH));
        // A long wait keeps partial batches pending (in the store) for seconds: the kills find them there.
        env.put("SEGSTREAM_BATCH_MAX_WAIT_MS", "10000");
        // A killed member's partitions move on after this, instead of the 45 s default.
        env.put("KAFKA_CLIENT_SESSION_TIMEOUT_MS", "6000");
        env.put("KAFKA_CLIENT_HEARTBEAT_INTERVAL_MS", "1000");
        return env;
    }
}
