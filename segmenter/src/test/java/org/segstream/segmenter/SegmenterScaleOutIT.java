package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.awaitility.Awaitility;
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
 * Two segmenter instances (separate JVMs, one consumer group) share the partitions; killing one
 * with -9 hands its partitions to the other, and no frame is lost or doubled.
 */
class SegmenterScaleOutIT {
    static final int STREAMS = 4;
    static final int FRAMES = 40;
    static final Topics TOPICS = Topics.defaults();
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    @Test
    void twoInstancesSharePartitionsAndTheSurvivorTakesOverWithoutLoss(@TempDir Path dir) throws Exception {
        TestTopics.create(broker.bootstrapServers(), TOPICS, 4);
        try (var cameras = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), TOPICS));
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<String, String> envA = SegmenterCrashIT.segmenterEnv(broker.bootstrapServers(), dir.resolve("state-a"));
            Map<String, String> envB = SegmenterCrashIT.segmenterEnv(broker.bootstrapServers(), dir.resolve("state-b"));
            envA.put("SEGSTREAM_BATCH_MAX_WAIT_MS", "100");
            envB.put("SEGSTREAM_BATCH_MAX_WAIT_MS", "100");
            var verifier = new MaskVerifier(broker.bootstrapServers(), TOPICS);
            try (ServiceProcess a = StandaloneSegmenter.start(envA, dir.resolve("a.log"));
                 ServiceProcess b = StandaloneSegmenter.start(envB, dir.resolve("b.log"))) {
                int sent = 0;
                for (; sent < FRAMES / 2; sent++) {
                    sendTick(cameras, sent);
                }
                verifier.awaitAtLeast(STREAMS * 5, Duration.ofSeconds(120), a);
                Set<String> owners = awaitTwoMembersWithPartitions(admin);
                assertEquals(2, owners.size(), "both instances own partitions");

                a.kill();
                for (; sent < FRAMES; sent++) {
                    sendTick(cameras, sent);
                }
                for (int s = 0; s < STREAMS; s++) {
                    cameras.sendEnd(new StreamEnd("cam-" + s, "session-" + s, FRAMES));
                }
                cameras.flush();
                verifier.awaitEnds(STREAMS, Duration.ofSeconds(180), b);
                assertTrue(b.alive());
            }
            verifier.assertExactlyOnceInOrder(STREAMS, FRAMES);
        }
    }

    private static void sendTick(FrameProducer producer, int seq) throws InterruptedException {
        for (int s = 0; s < STREAMS; s++) {
            var identity = new FrameIdentity("cam-" + s, "session-" + s, seq, seq * 100_000L, System.currentTimeMillis(),
                    320, 180, 10, "jpeg", SourceKind.FILE);
            producer.sendFrame(identity, JpegCodec.encode(TestPattern.frame(seq, 320, 180), 85));
        }
        producer.flush();
        Thread.sleep(100); // the cameras' pace, not a wait
    }

    /** The client ids of the group members that own at least one partition, once there are two. */
    private static Set<String> awaitTwoMembersWithPartitions(Admin admin) {
        return Awaitility.await("two group members with partitions").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> membersWithPartitions(admin), owners -> owners.size() >= 2);
    }

    private static Set<String> membersWithPartitions(Admin admin) throws Exception {
        Set<String> owners = new HashSet<>();
        ConsumerGroupDescription group = admin.describeConsumerGroups(java.util.List.of(SegmenterConfig.DEFAULT_APPLICATION_ID))
                .all().get().get(SegmenterConfig.DEFAULT_APPLICATION_ID);
        for (MemberDescription member : group.members()) {
            if (!member.assignment().topicPartitions().isEmpty()) {
                owners.add(member.clientId());
            }
        }
        return owners;
    }
}
