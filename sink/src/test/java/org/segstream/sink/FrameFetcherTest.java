package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Where a mask says its frame is, checked before anything waits for it: a MockConsumer stands in for the broker. */
class FrameFetcherTest {
    static final String TOPIC = "frames";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A MockConsumer that counts the metadata requests a real one would send to the broker. */
    static final class Broker extends MockConsumer<String, byte[]> {
        int partitionRequests;
        int offsetRequests;

        Broker() {
            super("earliest");
        }

        @Override
        public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            partitionRequests++;
            return super.partitionsFor(topic, timeout);
        }

        @Override
        public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
            offsetRequests++;
            return super.endOffsets(partitions, timeout);
        }
    }

    private final Broker broker = new Broker();
    private final FrameFetcher<byte[]> fetcher = new FrameFetcher<>(TOPIC, broker, System::nanoTime);

    /** A frames topic of {@code partitions} partitions, partition 0 holding offsets [beginning, end) with a record at each of {@code offsets}. */
    private void topic(int partitions, long beginning, long end, long... offsets) {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> infos = new java.util.ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node}));
        }
        broker.updatePartitions(TOPIC, infos);
        var tp = new TopicPartition(TOPIC, 0);
        broker.updateBeginningOffsets(Map.of(tp, beginning));
        broker.updateEndOffsets(Map.of(tp, end));
        broker.schedulePollTask(() -> { // a MockConsumer takes records only for an assigned partition
            for (long offset : offsets) {
                broker.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, "cam", new byte[] {(byte) offset}));
            }
        });
    }

    @Test
    void readsTheFrameAtItsLocation() {
        topic(1, 0, 3, 0, 1, 2);
        assertArrayEquals(new byte[] {1}, fetcher.fetch(0, 1, TIMEOUT).value());
        assertArrayEquals(new byte[] {2}, fetcher.fetch(0, 2, TIMEOUT).value());
    }

    @Test
    void aPartitionThatDoesNotExistIsRefusedAtOnceWithoutReadingAnything() {
        topic(2, 0, 3, 0, 1, 2);
        long start = System.nanoTime();
        var e = assertThrows(SkipException.class, () -> fetcher.fetch(99, 0, TIMEOUT));
        assertEquals(SkipReason.NO_SUCH_FRAME, e.reason());
        assertTrue(e.getMessage().contains("partition 99") && e.getMessage().contains("has 2 partition(s)"), e.getMessage());
        assertTrue(broker.assignment().isEmpty(), "nothing was assigned: a real consumer would wait for partition 99 to appear");
        assertEquals(SkipReason.NO_SUCH_FRAME, assertThrows(SkipException.class, () -> fetcher.fetch(-1, 0, TIMEOUT)).reason());
        assertEquals(SkipReason.NO_SUCH_FRAME, assertThrows(SkipException.class, () -> fetcher.fetch(0, -5, TIMEOUT)).reason());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "refused quickly");
    }

    @Test
    void thePartitionCountIsCachedSoAFloodOfBadLocationsCostsOneRequest() {
        topic(2, 0, 3, 0, 1, 2);
        for (int i = 0; i < 1000; i++) {
            assertThrows(SkipException.class, () -> fetcher.fetch(99, 0, TIMEOUT));
        }
        assertEquals(1, broker.partitionRequests, "asked again only after " + Duration.ofSeconds(30));
    }

    @Test
    void anOffsetNeverWrittenIsRefusedAfterAskingForTheEndOnce() {
        topic(1, 0, 3, 0, 1, 2);
        var e = assertThrows(SkipException.class, () -> fetcher.fetch(0, 1_000_000, TIMEOUT));
        assertEquals(SkipReason.NO_SUCH_FRAME, e.reason());
        assertTrue(e.getMessage().contains("ends before 3"), e.getMessage());
        assertTrue(broker.assignment().isEmpty());
    }

    @Test
    void theEndIsAskedAgainWhenAFrameLiesPastWhatWasKnown() {
        topic(1, 0, 2, 0, 1);
        assertArrayEquals(new byte[] {0}, fetcher.fetch(0, 0, TIMEOUT).value());
        int asked = broker.offsetRequests;
        assertArrayEquals(new byte[] {1}, fetcher.fetch(0, 1, TIMEOUT).value(), "within the known end: no request");
        assertEquals(asked, broker.offsetRequests);
        // More frames are written: a mask for one of them must not be refused on the old end.
        broker.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 0), 4L));
        broker.addRecord(new ConsumerRecord<>(TOPIC, 0, 2, "cam", new byte[] {2}));
        broker.addRecord(new ConsumerRecord<>(TOPIC, 0, 3, "cam", new byte[] {3}));
        assertArrayEquals(new byte[] {3}, fetcher.fetch(0, 3, TIMEOUT).value());
        assertEquals(asked + 1, broker.offsetRequests);
    }

    @Test
    void aFrameDeletedByRetentionIsGone() {
        topic(1, 5, 8, 5, 6, 7);
        assertNull(fetcher.fetch(0, 2, TIMEOUT), "before the partition's beginning");
        assertArrayEquals(new byte[] {6}, fetcher.fetch(0, 6, TIMEOUT).value());
    }

    @Test
    void anOffsetWithoutARecordIsGoneNotAWait() {
        // Offset 1 holds no frame (compacted); offset 3 is a transaction marker the consumer steps over without a record.
        topic(1, 0, 4, 0, 2);
        assertNull(fetcher.fetch(0, 1, TIMEOUT), "the next record is past it");
        var tp = new TopicPartition(TOPIC, 0);
        broker.schedulePollTask(() -> broker.seek(tp, 4)); // what a real consumer does after a control batch
        long start = System.nanoTime();
        assertNull(fetcher.fetch(0, 3, TIMEOUT));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "not a 30 s wait");
    }

    @Test
    void aFramesTopicThatDoesNotAnswerIsTheBrokersFaultNotTheMasks() {
        topic(1, 0, 3, 0); // offsets 1 and 2 exist but never arrive
        var e = assertThrows(EnvironmentFailure.class, () -> fetcher.fetch(0, 2, Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
    }

    @Test
    void aMissingFramesTopicIsSaid() {
        var e = assertThrows(SkipException.class, () -> fetcher.fetch(0, 0, TIMEOUT));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
