package org.segstream.sink;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.segstream.contract.FramesTopicRecord;

/**
 * Reads the frame a mask belongs to, by the frames-topic partition and offset the mask carries.
 * Masks of a partition arrive in frame order, so this mostly reads forward; it keeps a small
 * read-ahead per partition and pauses partitions whose read-ahead is full, so memory stays bounded.
 *
 * <p>A mask's location is outside input. Before reading, it is checked against the topic's partition
 * count and the partition's [beginning, end) offsets (cached; asked again only when a location lies
 * past what is known), so a mask pointing at partition 99 or at an offset never written is refused
 * at once instead of waiting for a record that cannot come.
 *
 * @param <V> the value type the consumer reads ({@link FramesTopicRecord} in the sink)
 */
final class FrameFetcher<V> implements AutoCloseable {
    private static final int READ_AHEAD = 64;
    /** Further ahead than this, seek instead of reading through. */
    private static final long MAX_SKIP = 2_000;
    /** A partition count this old is asked again when a mask names a partition beyond it (partitions can be added). */
    private static final Duration PARTITIONS_TTL = Duration.ofSeconds(30);
    /** How long a metadata or offsets request may take before the frames topic counts as unreachable. */
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(15);

    /** The offsets of one partition as last asked: {@code beginning} only grows (retention), {@code end} with every frame. */
    private record Bounds(long beginning, long end) {
    }

    private final Consumer<String, V> consumer;
    private final String topic;
    private final LongSupplier nanoClock;
    private final Map<Integer, ArrayDeque<ConsumerRecord<String, V>>> readAhead = new HashMap<>();
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Map<Integer, Bounds> bounds = new HashMap<>();
    private int partitionCount = -1;
    private long partitionsAskedNanos;

    /** The sink's: frames-topic records read through the topic's Serde ({@link SinkConsumers#frames}). */
    static FrameFetcher<FramesTopicRecord> of(SinkConfig config) {
        return new FrameFetcher<>(config.topics().frames(), SinkConsumers.frames(config), System::nanoTime);
    }

    /** Reads through {@code consumer} (a MockConsumer in tests), timing by {@code nanoClock}. */
    FrameFetcher(String topic, Consumer<String, V> consumer, LongSupplier nanoClock) {
        this.topic = topic;
        this.consumer = consumer;
        this.nanoClock = nanoClock;
    }

    /**
     * The frame at {@code partition}/{@code offset}, or null if it no longer exists (deleted by
     * retention, compacted, or the offset holds no frame). Throws {@link SkipException} for a location
     * that cannot hold a frame, and {@link EnvironmentFailure} when the frames topic does not answer
     * within {@code timeout}: that is the broker's fault, not the mask's.
     */
    ConsumerRecord<String, V> fetch(int partition, long offset, Duration timeout) {
        try {
            if (!exists(partition, offset)) {
                return null;
            }
            return read(partition, offset, timeout);
        } catch (TimeoutException e) {
            throw new EnvironmentFailure("the frames topic " + topic + " did not answer: " + e.getMessage(), e);
        }
    }

    /** False for a frame deleted by retention; throws {@link SkipException} for a location no frame ever had. */
    private boolean exists(int partition, long offset) {
        if (partition < 0 || offset < 0) {
            throw new SkipException(SkipReason.NO_SUCH_FRAME, "the mask's frame location " + partition + "@" + offset + " is negative");
        }
        int count = partitionCount(partition);
        if (partition >= count) {
            throw new SkipException(SkipReason.NO_SUCH_FRAME, count == 0 ? "the frames topic " + topic + " does not exist"
                    : "the mask's frame is on partition " + partition + " but the frames topic " + topic + " has " + count
                    + " partition(s)");
        }
        Bounds known = bounds.get(partition);
        if (known == null || offset >= known.end()) {
            known = askBounds(partition); // the end moves with every frame written: ask before refusing
        }
        if (offset >= known.end()) {
            throw new SkipException(SkipReason.NO_SUCH_FRAME, "the mask's frame is at offset " + offset + " but " + topic + "-"
                    + partition + " ends before " + known.end());
        }
        return offset >= known.beginning();
    }

    private int partitionCount(int wanted) {
        long now = nanoClock.getAsLong();
        boolean stale = partitionCount < 0 || (wanted >= partitionCount && now - partitionsAskedNanos > PARTITIONS_TTL.toNanos());
        if (stale) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
            partitionCount = partitions == null ? 0 : partitions.size();
            partitionsAskedNanos = now;
        }
        return partitionCount;
    }

    private Bounds askBounds(int partition) {
        var tp = new TopicPartition(topic, partition);
        long beginning = consumer.beginningOffsets(List.of(tp), METADATA_TIMEOUT).getOrDefault(tp, 0L);
        long end = consumer.endOffsets(List.of(tp), METADATA_TIMEOUT).getOrDefault(tp, 0L);
        var fresh = new Bounds(beginning, end);
        bounds.put(partition, fresh);
        return fresh;
    }

    private ConsumerRecord<String, V> read(int partition, long offset, Duration timeout) {
        var tp = new TopicPartition(topic, partition);
        ensureAssigned(tp);
        ArrayDeque<ConsumerRecord<String, V>> queue = readAhead.computeIfAbsent(partition, p -> new ArrayDeque<>());
        long deadline = nanoClock.getAsLong() + timeout.toNanos();
        positionFor(tp, queue, offset);
        consumer.resume(List.of(tp));
        while (true) {
            while (!queue.isEmpty() && queue.peekFirst().offset() < offset) {
                queue.pollFirst();
            }
            if (!queue.isEmpty()) {
                // The head is the frame, or past it (the frame is gone: compacted or deleted).
                return queue.peekFirst().offset() == offset ? queue.pollFirst() : null;
            }
            if (consumer.position(tp) > offset) {
                return null; // read past it without a record: the offset holds a transaction marker or was compacted away
            }
            if (nanoClock.getAsLong() > deadline) {
                throw new TimeoutException("frame " + topic + "-" + partition + "@" + offset + " not readable within "
                        + timeout.toSeconds() + " s");
            }
            try {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    var buffer = readAhead.computeIfAbsent(record.partition(), p -> new ArrayDeque<>());
                    buffer.addLast(record);
                    if (buffer.size() >= READ_AHEAD && record.partition() != partition) {
                        consumer.pause(List.of(new TopicPartition(topic, record.partition())));
                    }
                }
            } catch (KafkaException e) {
                if (e instanceof TimeoutException) {
                    throw e;
                }
                queue.clear();
                consumer.seek(tp, offset); // so the next mask does not meet the same failure mid-buffer
                throw new SkipException(SkipReason.ERROR, "reading frame " + topic + "-" + partition + "@" + offset + ": " + e);
            }
        }
    }

    private void ensureAssigned(TopicPartition tp) {
        if (assigned.add(tp)) {
            consumer.assign(assigned);
        }
    }

    /** Seeks when the wanted offset is behind what was read, or far ahead of it. */
    private void positionFor(TopicPartition tp, ArrayDeque<ConsumerRecord<String, V>> queue, long offset) {
        long next = queue.isEmpty() ? consumer.position(tp) : queue.peekFirst().offset();
        boolean behind = next > offset;
        boolean farAhead = queue.isEmpty() ? offset - next > MAX_SKIP : queue.peekLast().offset() + MAX_SKIP < offset;
        if (behind || farAhead) {
            queue.clear();
            consumer.seek(tp, offset);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
