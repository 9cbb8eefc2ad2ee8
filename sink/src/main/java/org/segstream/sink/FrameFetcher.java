package org.segstream.sink;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.segstream.contract.Topics;

/**
 * Reads the frame a mask belongs to, by the frames-topic partition and offset the mask carries.
 * Masks of a partition arrive in frame order, so this mostly reads forward; it keeps a small
 * read-ahead per partition and pauses partitions whose read-ahead is full, so memory stays bounded.
 */
final class FrameFetcher implements AutoCloseable {
    private static final int READ_AHEAD = 64;
    /** Further ahead than this, seek instead of reading through. */
    private static final long MAX_SKIP = 2_000;

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Map<Integer, ArrayDeque<ConsumerRecord<String, byte[]>>> readAhead = new HashMap<>();
    private final Set<TopicPartition> assigned = new HashSet<>();

    FrameFetcher(SinkConfig config) {
        this.topic = config.topics().frames();
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 32);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "segstream-sink-frames");
        props.putAll(config.kafka());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The frame at {@code partition}/{@code offset}, or null if it no longer exists (deleted by retention). */
    ConsumerRecord<String, byte[]> fetch(int partition, long offset, Duration timeout) {
        var tp = new TopicPartition(topic, partition);
        ensureAssigned(tp);
        ArrayDeque<ConsumerRecord<String, byte[]>> queue = readAhead.computeIfAbsent(partition, p -> new ArrayDeque<>());
        long deadline = System.nanoTime() + timeout.toNanos();
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
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("frame " + topic + "-" + partition + "@" + offset + " not readable within "
                        + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                var buffer = readAhead.computeIfAbsent(record.partition(), p -> new ArrayDeque<>());
                buffer.addLast(record);
                if (buffer.size() >= READ_AHEAD && record.partition() != partition) {
                    consumer.pause(List.of(new TopicPartition(topic, record.partition())));
                }
            }
        }
    }

    private void ensureAssigned(TopicPartition tp) {
        if (assigned.add(tp)) {
            consumer.assign(assigned);
        }
    }

    /** Seeks when the wanted offset is behind what was read, or far ahead of it. */
    private void positionFor(TopicPartition tp, ArrayDeque<ConsumerRecord<String, byte[]>> queue, long offset) {
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
