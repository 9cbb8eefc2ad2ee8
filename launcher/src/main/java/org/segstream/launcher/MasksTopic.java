package org.segstream.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.segstream.contract.Headers;
import org.segstream.contract.RecordKind;

/**
 * A benchmark row's masks topic as any read_committed reader sees it (joins no group, commits nothing):
 * waiting for a stream's end record or for every camera's first record, and each record's stream, kind
 * and times, for figures taken from the topic alone.
 */
final class MasksTopic {
    /** One record: its stream, kind ("frame", "shed", "end"), the frame's capture time, when the segmenter forwarded it (-1: unknown). */
    record Entry(String stream, String kind, long captureMs, long segmentedMs) {
    }

    private final String bootstrapServers;
    private final String topic;

    MasksTopic(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    /** True once {@code stream}'s end record is on the topic; false after {@code timeout}. */
    boolean awaitEnd(String stream, Duration timeout) throws InterruptedException {
        return scan(timeout, e -> e.stream().equals(stream) && e.kind().equals(RecordKind.END.wire()), false) != null;
    }

    /** True once each of {@code streams} has a record (a mask or a shed marker) on the topic; false after {@code timeout}. */
    boolean awaitEvery(Set<String> streams, Duration timeout) throws InterruptedException {
        Set<String> waiting = new HashSet<>(streams);
        return scan(timeout, e -> waiting.remove(e.stream()) && waiting.isEmpty(), false) != null;
    }

    /** Every record committed so far, in each partition's order. */
    List<Entry> readAll(Duration timeout) throws InterruptedException {
        return scan(timeout, e -> false, true);
    }

    /**
     * Reads from the beginning until {@code stop} accepts an entry or (with {@code toEnd}) every partition is read to
     * its end; returns the entries read, or null after {@code timeout}. The topic may not exist yet.
     */
    private List<Entry> scan(Duration timeout, Predicate<Entry> stop, boolean toEnd) throws InterruptedException {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // the pipeline creates the topic with its partitions and retention; a reader must not create it first
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Entry> entries = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            while (consumer.partitionsFor(topic).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    return null;
                }
                Thread.sleep(200);
            }
            consumer.assign(consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList());
            consumer.seekToBeginning(consumer.assignment());
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Entry entry = entry(record);
                    entries.add(entry);
                    if (stop.test(entry)) {
                        return entries;
                    }
                }
                if (toEnd && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    return entries;
                }
            }
            return null;
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            throw new InterruptedException("interrupted while reading " + topic);
        }
    }

    private static Entry entry(ConsumerRecord<String, byte[]> record) {
        String kind = Headers.getOrNull(record.headers(), Headers.KIND);
        String capture = Headers.getOrNull(record.headers(), Headers.CAPTURE_MS);
        String out = Headers.getOrNull(record.headers(), Headers.SEGMENTER_OUT_MS);
        return new Entry(record.key() == null ? "" : record.key(), kind == null ? "" : kind,
                capture == null ? -1 : Long.parseLong(capture), out == null ? -1 : Long.parseLong(out));
    }
}
