package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.Mask;
import org.segstream.contract.MasksTopicRecord;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.video.VideoFileInfo;

/**
 * Which masks offsets the sink commits, through a MockConsumer (no broker): never past the first mask
 * of a file still open, so what a crash or a rebalance interrupts is written again, whole, by whoever
 * reads the partition next.
 */
class MaskCommitsTest {
    private static final TopicPartition M0 = FakeTopics.MASKS_0;
    private static final TopicPartition M1 = new TopicPartition(FakeTopics.MASKS, 1);

    @TempDir
    Path out;
    private final MockConsumer<String, byte[]> consumer = assigned(new MockConsumer<>("earliest"));
    private final FakeTopics topics = new FakeTopics();

    /** A MockConsumer reports a committed offset only for a partition assigned to it. */
    private static MockConsumer<String, byte[]> assigned(MockConsumer<String, byte[]> consumer) {
        consumer.assign(List.of(M0, M1));
        return consumer;
    }

    private static ConsumerRecord<String, byte[]> at(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "cam", new byte[0]);
    }

    private Map<TopicPartition, Long> committed() {
        Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
        consumer.committed(Set.of(M0, M1)).forEach((tp, o) -> {
            if (o != null) {
                offsets.put(tp, o.offset());
            }
        });
        return offsets;
    }

    @Test
    void commitsTheOffsetAfterTheLastHandledRecordOfEachPartition() {
        var commits = new MaskCommits(consumer, (partition, handledUpTo) -> handledUpTo);
        commits.commit();
        assertEquals(Map.of(), committed(), "nothing handled, nothing committed");
        commits.handled(at(M0, 0));
        commits.handled(at(M0, 1));
        commits.handled(at(M1, 7));
        commits.commit();
        assertEquals(Map.of(M0, 2L, M1, 8L), committed());
    }

    @Test
    void neverPastWhatAnOpenFileHoldsBack() {
        Map<TopicPartition, Long> openSince = new java.util.HashMap<>(Map.of(M0, 3L));
        var commits = new MaskCommits(consumer, (partition, handledUpTo) -> Math.min(handledUpTo,
                openSince.getOrDefault(partition, Long.MAX_VALUE)));
        for (long offset = 0; offset < 10; offset++) {
            commits.handled(at(M0, offset));
        }
        commits.commit();
        assertEquals(Map.of(M0, 3L), committed());
        openSince.clear(); // the file was finalised
        commits.commit();
        assertEquals(Map.of(M0, 10L), committed());
    }

    @Test
    void aRevokedPartitionIsNoLongerCommittedHere() {
        var commits = new MaskCommits(consumer, (partition, handledUpTo) -> handledUpTo);
        commits.handled(at(M0, 4));
        commits.handled(at(M1, 4));
        commits.revoked(M1);
        assertEquals(Set.of(M0), commits.committable().keySet());
    }

    @Test
    void aFailedCommitIsTriedAgainByTheNext() {
        List<Map<TopicPartition, OffsetAndMetadata>> tried = new ArrayList<>();
        var flaky = new MockConsumer<String, byte[]>("earliest") {
            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                tried.add(offsets);
                if (tried.size() == 1) {
                    throw new CommitFailedException("the group rebalanced");
                }
                super.commitSync(offsets);
            }
        };
        assigned(flaky);
        var commits = new MaskCommits(flaky, (partition, handledUpTo) -> handledUpTo);
        commits.handled(at(M0, 0));
        commits.commit(); // logged, not thrown: the records are replayed at worst
        commits.commit();
        assertEquals(2, tried.size());
        assertEquals(1L, flaky.committed(Set.of(M0)).get(M0).offset());
    }

    /** The sink's bookkeeping around a masks partition, as SinkApp drives it, minus the frame join and the overlay drawing. */
    private final class Sink {
        final AtomicLong clock = new AtomicLong();
        final TrackedStreams streams = new TrackedStreams(StreamLimits.DEFAULTS, clock::get);
        final SinkConfig config = SinkConfig.of("unused:9092", Topics.defaults(), out, false);
        final StreamSessions sessions = new StreamSessions(config, SinkListener.NONE,
                new SinkMetrics(new PrometheusRegistry(), () -> 0, () -> 0, () -> 0), new OutputDisk(out), streams, clock::get);
        final MaskCommits commits = new MaskCommits(consumer, streams::committable);
        int duplicates;

        void handle(ConsumerRecord<String, MasksTopicRecord> record) throws IOException {
            if (record.value() instanceof StreamEnd end) {
                sessions.ended(end);
            } else {
                Mask mask = (Mask) record.value();
                FrameIdentity frame = mask.frame();
                StreamOutput output = sessions.outputFor(sessions.track(frame.stream()), frame, M0);
                if (output.alreadyWritten(frame.seq())) {
                    duplicates++;
                } else {
                    output.write(frame, new BgrImage(FakeTopics.W, FakeTopics.H, new byte[FakeTopics.W * FakeTopics.H * 3]),
                            mask.png(), record.offset());
                }
            }
            commits.handled(record);
        }

        void handleFrom(long offset) throws IOException {
            for (ConsumerRecord<String, MasksTopicRecord> record : topics.masks.subList((int) offset, topics.masks.size())) {
                handle(record);
            }
        }
    }

    @Test
    void anOpenFileHoldsTheCommitAtItsFirstMaskUntilItIsFinal() throws Exception {
        var sink = new Sink();
        topics.end("other", "s0", 0);   // offset 0: handled, nothing open
        for (int seq = 0; seq < 3; seq++) {
            topics.frame("cam", "s1", seq); // offsets 1-3: one open file
        }
        sink.handleFrom(0);
        sink.commits.commit();
        assertEquals(Map.of(M0, 1L), committed(), "the open file began at offset 1");
        topics.end("cam", "s1", 3);
        sink.handleFrom(4);
        sink.commits.commit();
        assertEquals(Map.of(M0, 5L), committed(), "the file is final: everything handled may be committed");
    }

    @Test
    void aCrashMidFileReplaysTheFileWholeFromTheCommittedOffset() throws Exception {
        topics.frame("cam", "s1", 0);
        topics.frame("cam", "s1", 1);
        topics.end("cam", "s1", 2);      // offset 2: the first file is final
        for (int seq = 0; seq < 4; seq++) {
            topics.frame("cam", "s2", seq); // offsets 3-6: open when the sink dies
        }
        var first = new Sink();
        first.handleFrom(0);
        first.commits.commit();
        long resumeAt = committed().get(M0);
        assertEquals(3, resumeAt, "held at the open file's first mask");
        // The sink is killed: its open file is never finalised. A new one reads on from the committed offset.
        var restarted = new Sink();
        restarted.handleFrom(resumeAt);
        topics.end("cam", "s2", 4);
        restarted.handleFrom(7);
        restarted.commits.commit();
        assertEquals(8L, committed().get(M0));
        assertEquals(0, restarted.duplicates, "nothing of s1 is replayed");
        assertEquals(2, VideoFileInfo.read(sessionDir("s1").resolve("20261130T120000.000Z.mp4")).frames());
        assertEquals(4, VideoFileInfo.read(sessionDir("s2").resolve("20261130T120000.000Z.mp4")).frames(), "rebuilt whole");
        assertEquals(List.of(), partFiles());
    }

    @Test
    void onARebalanceTheCommitStopsAtTheOpenFileAndItIsDroppedForTheNextOwner() throws Exception {
        var sink = new Sink();
        topics.frame("cam", "s1", 0);
        topics.frame("cam", "s1", 1);
        sink.handleFrom(0);
        // What SinkApp's rebalance listener does when the partition is revoked: commit, then let go.
        sink.commits.commit();
        sink.commits.revoked(M0);
        sink.sessions.partitionRevoked(M0);
        assertEquals(Map.of(M0, 0L), committed(), "the next owner starts at the open file's first mask");
        assertEquals(List.of(), partFiles(), "the unfinished file is dropped, not finalised half");
        assertFalse(sink.streams.contains("cam"));
        assertTrue(sink.commits.committable().isEmpty());
    }

    private Path sessionDir(String session) throws IOException {
        try (Stream<Path> dirs = Files.list(out.resolve("cam"))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(session)).findFirst().orElseThrow();
        }
    }

    private List<Path> partFiles() throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
