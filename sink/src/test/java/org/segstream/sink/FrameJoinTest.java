package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.segstream.contract.BadRecordException;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.Frame;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.Mask;
import org.segstream.contract.MaskPng;
import org.segstream.contract.MasksTopicRecord;
import org.segstream.contract.ShedMarker;
import org.segstream.contract.SourceKind;
import org.segstream.contract.Topics;
import org.segstream.contract.Unreadable;

/**
 * A mask joined to its frame through a MockConsumer standing in for the frames topic (no broker), both
 * read as the topics' Serdes read them (typed {@link Mask} and {@link Frame}). The
 * frame at offset {@code k} is {@code 16 + 8k} pixels wide, so a mask joined to the wrong frame fails
 * on its size and the frame a join returns tells its offset.
 */
class FrameJoinTest {
    private static final String TOPIC = "frames";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final int H = 16;

    private final MockConsumer<String, FramesTopicRecord> broker = new MockConsumer<>("earliest");
    private final FrameJoin join = new FrameJoin(new FrameFetcher<>(TOPIC, broker, System::nanoTime), Duration.ofSeconds(5));

    private static int width(long offset) {
        return 16 + 8 * (int) offset;
    }

    private static FrameIdentity identity(long seq, int width) {
        return new FrameIdentity("cam", "s1", seq, 0, 0, width, H, 10, "jpeg", SourceKind.LIVE);
    }

    private static ConsumerRecord<String, FramesTopicRecord> frameAt(long offset) {
        int w = width(offset);
        return new ConsumerRecord<>(TOPIC, 0, offset, "cam",
                new Frame(identity(offset, w), JpegCodec.encode(new BgrImage(w, H, new byte[w * H * 3]), 90)));
    }

    /** One partition holding offsets [beginning, end), each delivered by the poll numbered in {@code arrivesAtPoll} (1 = the first). */
    private void topic(long beginning, long end, int arrivesAtPoll) {
        offsets(beginning, end);
        for (int poll = 1; poll < arrivesAtPoll; poll++) {
            broker.schedulePollTask(() -> { }); // a poll that brings nothing yet
        }
        broker.schedulePollTask(() -> { // a MockConsumer takes records only for an assigned partition
            for (long offset = beginning; offset < end; offset++) {
                broker.addRecord(frameAt(offset));
            }
        });
    }

    /** One partition whose offsets are [beginning, end): records arrive only as a test adds them. */
    private void offsets(long beginning, long end) {
        Node node = new Node(0, "localhost", 9092);
        broker.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node})));
        broker.updateBeginningOffsets(Map.of(P0, beginning));
        broker.updateEndOffsets(Map.of(P0, end));
    }

    /** A mask of the frame at {@code partition}/{@code offset}, {@code width} pixels wide. */
    private static Mask mask(long partition, long offset, int width) {
        return (Mask) read(maskHeaders(partition, offset, width), MaskPng.encode(new ClassMap(width, H, new byte[width * H])));
    }

    /** A mask's headers as the segmenter writes them; the partition as a number of any size (outside input). */
    private static RecordHeaders maskHeaders(long partition, long offset, int width) {
        var headers = new RecordHeaders();
        identity(offset, width).writeTo(headers);
        HeaderValues.put(headers, HeaderNames.FRAME_PARTITION, partition);
        HeaderValues.put(headers, HeaderNames.FRAME_OFFSET, offset);
        return headers;
    }

    /** A masks-topic record as the sink's consumer reads it, through the topic's Serde. */
    private static MasksTopicRecord read(RecordHeaders headers, byte[] value) {
        return Topics.MASKS.valueSerde().deserializer().deserialize("masks", headers, value);
    }

    private static Mask mask(long offset) {
        return mask(0, offset, width(offset));
    }

    @Test
    void framesWrittenBeforeTheirMasksAreJoinedInOrderFromTheReadAhead() {
        topic(0, 6, 1);
        List<Integer> widths = new ArrayList<>();
        for (long offset : new long[] {0, 2, 3, 5}) { // 1 and 4: masks dead-lettered upstream
            FrameJoin.Pair pair = join.join(mask(offset), offset);
            assertEquals(pair.frame().width(), pair.mask().width());
            widths.add(pair.frame().width());
        }
        assertEquals(List.of(width(0), width(2), width(3), width(5)), widths);
    }

    @Test
    void aMaskWhoseFrameTheConsumerHasNotFetchedYetWaitsForIt() {
        topic(0, 3, 4); // written (within the end offset) but delivered only by the fourth poll
        assertEquals(width(2), join.join(mask(2), 2).frame().width());
    }

    @Test
    void aMaskBehindWhatWasReadSeeksBack() {
        topic(0, 4, 1);
        assertEquals(width(3), join.join(mask(3), 3).frame().width());
        broker.schedulePollTask(() -> { // after the seek, the consumer reads the partition again from offset 1
            broker.addRecord(frameAt(1));
            broker.addRecord(frameAt(2));
        });
        assertEquals(width(1), join.join(mask(1), 1).frame().width(), "a redelivered mask after a restart");
    }

    @Test
    void aFrameDeletedByRetentionIsGoneAndTheMaskSkipped() {
        topic(3, 5, 1);
        var e = assertThrows(SkipException.class, () -> join.join(mask(1), 7));
        assertEquals(SkipReason.FRAME_GONE, e.reason());
        assertTrue(e.getMessage().contains("frame seq 7 (0@1) is gone"), e.getMessage());
    }

    @Test
    void aLocationOutOfRangeIsRefusedWithoutWaiting() {
        topic(0, 2, 1);
        assertEquals(SkipReason.NO_SUCH_FRAME, assertThrows(SkipException.class, () -> join.join(mask(0, 2, width(2)), 0)).reason(),
                "an offset never written");
        assertEquals(SkipReason.NO_SUCH_FRAME, assertThrows(SkipException.class, () -> join.join(mask(5, 0, width(0)), 0)).reason(),
                "a partition the topic does not have");
        assertEquals(SkipReason.NO_SUCH_FRAME,
                assertThrows(SkipException.class, () -> join.join(mask(1L << 40, 0, width(0)), 0)).reason(),
                "a partition beyond int range");
        assertTrue(broker.assignment().isEmpty(), "nothing was read");
    }

    @Test
    void aMaskWithoutAFrameLocationIsUnreadableAndNeverJoined() {
        var headers = new RecordHeaders();
        identity(0, width(0)).writeTo(headers);
        var unreadable = assertInstanceOf(Unreadable.class, read(headers, new byte[0]));
        assertTrue(unreadable.reason().contains(HeaderNames.FRAME_PARTITION), unreadable.reason());
    }

    @Test
    void aFramesTopicRecordThatIsNoFrameIsInvalid() {
        offsets(0, 1);
        broker.schedulePollTask(() -> broker.addRecord(new ConsumerRecord<>(TOPIC, 0, 0L, "cam",
                new Unreadable("no identity", "cam", null, new byte[0]))));
        var e = assertThrows(BadRecordException.class, () -> join.join(mask(0), 0));
        assertTrue(e.getMessage().contains("0@0 is an unreadable record (no identity)"), e.getMessage());
    }

    @Test
    void aMaskOfAnotherSizeThanItsFrameIsInvalid() {
        topic(0, 2, 1);
        var e = assertThrows(BadRecordException.class, () -> join.join(mask(0, 1, width(0)), 1));
        assertTrue(e.getMessage().contains("16x16 but its frame is 24x16"), e.getMessage());
    }

    @Test
    void aFramesTopicThatDoesNotAnswerIsTheEnvironmentsFault() {
        offsets(0, 2); // written, says the broker, but never delivered
        var slow = new FrameJoin(new FrameFetcher<>(TOPIC, broker, System::nanoTime), Duration.ofMillis(200));
        assertThrows(EnvironmentFailure.class, () -> slow.join(mask(1), 1));
    }

    @Test
    void aShedMarkerIsToldFromAMask() {
        var shed = maskHeaders(0, 0, width(0));
        HeaderValues.put(shed, HeaderNames.KIND, "shed");
        HeaderValues.put(shed, HeaderNames.SHED_REASON, "stale");
        assertInstanceOf(ShedMarker.class, read(shed, new byte[0]));
        var frame = maskHeaders(0, 0, width(0));
        HeaderValues.put(frame, HeaderNames.KIND, "frame");
        assertInstanceOf(Mask.class, read(frame, new byte[0]));
        assertInstanceOf(Mask.class, read(maskHeaders(0, 0, width(0)), new byte[0]), "no kind at all: a mask, not a marker");
    }
}
