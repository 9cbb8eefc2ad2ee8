package org.segstream.segmenter;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@link FrameReader} on the frames topic itself: a consumer of its own, without a group (assign and seek), that
 * reads from the first pending offset to the last. Used only when a task starts with frames pending, after a crash.
 */
final class KafkaFrameReader implements FrameReader {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String topic;
    private final Supplier<Consumer<String, byte[]>> consumers;

    /** {@code kafka}: the user's pass-through properties; the consumer takes those it knows (security settings among them). */
    KafkaFrameReader(String bootstrapServers, String topic, Map<String, Object> kafka) {
        this.topic = topic;
        var props = new HashMap<String, Object>();
        kafka.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "segstream-pending-frames-reader");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, Object> consumerProperties = Map.copyOf(props);
        this.consumers = () -> new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** On consumers from {@code consumers}, one a read (tests pass a MockConsumer). */
    KafkaFrameReader(String topic, Supplier<Consumer<String, byte[]>> consumers) {
        this.topic = topic;
        this.consumers = consumers;
    }

    @Override
    public Map<Long, StoredRecord> read(int partition, List<Long> offsets) {
        Map<Long, StoredRecord> found = new HashMap<>();
        if (offsets.isEmpty()) {
            return found;
        }
        var tp = new TopicPartition(topic, partition);
        var wanted = new HashSet<>(offsets);
        long last = offsets.get(offsets.size() - 1);
        try (Consumer<String, byte[]> consumer = consumers.get()) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offsets.get(0));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            // Past the last offset, or at the partition's end: an offset not met by then is not there any more.
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) <= last && consumer.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not re-read " + offsets.size() + " pending frames of " + tp
                            + " within " + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (wanted.contains(r.offset())) {
                        found.put(r.offset(), new StoredRecord(r.partition(), r.offset(), r.timestamp(), r.key(), r.headers(),
                                r.value() == null ? new byte[0] : r.value()));
                    }
                }
            }
        }
        return found;
    }
}
