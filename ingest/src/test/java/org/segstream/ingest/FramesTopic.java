package org.segstream.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.RecordKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.testsupport.Waits;

/** Test support: a frames topic of its own on a real broker, and a reader of what ingest put on it. */
final class FramesTopic implements AutoCloseable {
    /** One record of the frames topic: a frame (identity set) or an end record (end set). */
    record Item(FrameIdentity frame, StreamEnd end, int bytes) {
        String session() {
            return frame != null ? frame.session() : end.session();
        }
    }

    final Topics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Item> items = new ArrayList<>();

    FramesTopic(String bootstrap, String name) throws Exception {
        topics = new Topics(name + ".frames", name + ".masks", name + ".dead-letters", name + ".stats");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topics.frames(), 1, (short) 1)
                    .configs(Map.of("max.message.bytes", String.valueOf(Topics.MAX_RECORD_BYTES))))).all().get();
        }
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 10 * 1024 * 1024);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.frames()));
    }

    /**
     * Reads until {@code done} holds for everything read so far, or the timeout; returns everything read. A timeout is
     * not a failure here: the callers assert on what was read, with their own messages.
     */
    List<Item> readUntil(Predicate<List<Item>> done, Duration timeout) {
        Waits.readUntil("records on " + topics.frames(), timeout, () -> done.test(items) || pollOnce() && done.test(items));
        return List.copyOf(items);
    }

    private boolean pollOnce() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (StreamEnd.kindOf(r.headers()) == RecordKind.END) {
                items.add(new Item(null, StreamEnd.readFrom(r.headers()), 0));
            } else {
                items.add(new Item(FrameIdentity.readFrom(r.headers()), null, r.value().length));
            }
        }
        return true;
    }

    static long frames(List<Item> items) {
        return items.stream().filter(i -> i.frame() != null).count();
    }

    static boolean hasEnd(List<Item> items) {
        return items.stream().anyMatch(i -> i.end() != null);
    }

    /** Records grouped by session, in order of appearance. */
    static Map<String, List<Item>> bySession(List<Item> items) {
        Map<String, List<Item>> sessions = new java.util.LinkedHashMap<>();
        for (var item : items) {
            sessions.computeIfAbsent(item.session(), s -> new ArrayList<>()).add(item);
        }
        return sessions;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
