package org.segstream.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.segstream.contract.ClassMap;
import org.segstream.contract.Frame;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.MaskPng;
import org.segstream.contract.MasksTopicRecord;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.scenes.TestPattern;

/**
 * A frames topic and a masks topic of one partition each, in memory, as the sink reads them through
 * MockConsumers: frames are appended and become readable once the fetcher assigns the partition;
 * masks point at them by offset, as the segmenter's do.
 */
final class FakeTopics {
    static final String FRAMES = "segstream.frames";
    static final String MASKS = "segstream.masks";
    static final TopicPartition MASKS_0 = new TopicPartition(MASKS, 0);
    static final int W = 64;
    static final int H = 48;

    /** The frames topic: appended values stay readable (a new consumer over the same list reads them again). */
    static final class Frames {
        final List<FramesTopicRecord> values = new ArrayList<>();

        /** A frame whose image is {@code jpeg} (any bytes: the sink decodes them). */
        synchronized long append(byte[] jpeg) {
            long offset = values.size();
            values.add(new Frame(new FrameIdentity("cam", "s1", offset, 0, 0, W, H, 10, "jpeg", SourceKind.LIVE), jpeg));
            return offset;
        }

        /** A consumer of this topic, as the sink's FrameFetcher has one. */
        FramesConsumer consumer() {
            return new FramesConsumer(this);
        }
    }

    static final class FramesConsumer extends MockConsumer<String, FramesTopicRecord> {
        private final Frames topic;
        private long delivered;

        FramesConsumer(Frames topic) {
            super("earliest");
            this.topic = topic;
            Node node = new Node(0, "localhost", 9092);
            updatePartitions(FRAMES, List.of(new PartitionInfo(FRAMES, 0, node, new Node[] {node}, new Node[] {node})));
            updateBeginningOffsets(Map.of(new TopicPartition(FRAMES, 0), 0L));
            updateEndOffsets(Map.of(new TopicPartition(FRAMES, 0), 0L));
        }

        @Override
        public synchronized Map<TopicPartition, Long> endOffsets(java.util.Collection<TopicPartition> partitions, Duration timeout) {
            synchronized (topic) {
                updateEndOffsets(Map.of(new TopicPartition(FRAMES, 0), (long) topic.values.size()));
            }
            return super.endOffsets(partitions, timeout);
        }

        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            super.seek(partition, offset);
            delivered = offset; // hand out again from here
        }

        @Override
        public synchronized ConsumerRecords<String, FramesTopicRecord> poll(Duration timeout) {
            var tp = new TopicPartition(FRAMES, 0);
            if (assignment().contains(tp)) {
                synchronized (topic) {
                    delivered = Math.max(delivered, position(tp));
                    for (; delivered < topic.values.size(); delivered++) {
                        addRecord(new ConsumerRecord<>(FRAMES, 0, delivered, "cam", topic.values.get((int) delivered)));
                    }
                }
            }
            return super.poll(timeout);
        }
    }

    final Frames frames = new Frames();
    /** Every mask record so far, in offset order. */
    final List<ConsumerRecord<String, MasksTopicRecord>> masks = new ArrayList<>();

    /** A good frame and its mask: {@code seq} of session {@code session} of {@code stream}. */
    ConsumerRecord<String, MasksTopicRecord> frame(String stream, String session, long seq) {
        long offset = frames.append(JpegCodec.encode(TestPattern.frame((int) seq, W, H), 85));
        var identity = new FrameIdentity(stream, session, seq, seq * 100_000, 1_796_040_000_000L + seq * 100, W, H, 10, "png",
                SourceKind.LIVE, System.currentTimeMillis());
        return mask(identity, 0, offset, MaskPng.encode(new ClassMap(W, H, new byte[W * H])));
    }

    /** A mask with {@code identity}'s headers, pointing at {@code partition}/{@code offset} of the frames topic. */
    ConsumerRecord<String, MasksTopicRecord> mask(FrameIdentity identity, long partition, long offset, byte[] png) {
        var headers = new RecordHeaders();
        identity.writeTo(headers);
        HeaderValues.put(headers, HeaderNames.FRAME_PARTITION, partition);
        HeaderValues.put(headers, HeaderNames.FRAME_OFFSET, offset);
        return record(identity.stream(), headers, png);
    }

    ConsumerRecord<String, MasksTopicRecord> end(String stream, String session, long frames) {
        var headers = new RecordHeaders();
        new StreamEnd(stream, session, frames).writeTo(headers);
        return record(stream, headers, new byte[0]);
    }

    /** Any record at all on the masks topic, read through the topic's Serde as the sink's consumer reads it. */
    ConsumerRecord<String, MasksTopicRecord> record(String key, RecordHeaders headers, byte[] value) {
        MasksTopicRecord read = Topics.MASKS.valueSerde().deserializer().deserialize(MASKS, headers, value);
        var record = new ConsumerRecord<>(MASKS, 0, masks.size(), System.currentTimeMillis(), TimestampType.CREATE_TIME,
                -1, value == null ? -1 : value.length, key, read, headers, Optional.empty());
        masks.add(record);
        return record;
    }

    /** A masks consumer, as the sink's; the test hands it records. */
    MasksConsumer masksConsumer() {
        var consumer = new MasksConsumer();
        consumer.updateBeginningOffsets(Map.of(MASKS_0, 0L));
        return consumer;
    }

    /** A MockConsumer that remembers the last offset committed, readable after the sink closed it. */
    static final class MasksConsumer extends MockConsumer<String, MasksTopicRecord> {
        private volatile Long lastCommitted;

        MasksConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets) {
            super.commitSync(offsets);
            var offset = offsets.get(MASKS_0);
            if (offset != null) {
                lastCommitted = offset.offset();
            }
        }

        /** The offset last committed on the masks partition, null if none was. */
        Long lastCommitted() {
            return lastCommitted;
        }
    }

    FrameFetcher<FramesTopicRecord> fetcher(java.util.function.LongSupplier clock) {
        return new FrameFetcher<>(FRAMES, frames.consumer(), clock);
    }
}
