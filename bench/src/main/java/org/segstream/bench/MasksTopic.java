package org.segstream.bench;

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
import org.segstream.contract.Mask;
import org.segstream.contract.MasksTopicRecord;
import org.segstream.contract.RecordKind;
import org.segstream.contract.ShedMarker;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.contract.Unreadable;

/**
 * A benchmark row's masks topic as any read_committed reader sees it (joins no group, commits nothing),
 * read through the topic's own Serde ({@link Topics#MASKS}): waiting for a stream's end record or for every
 * camera's first record, and each record's stream, kind and times, for figures taken from the topic alone.
 */
final class MasksTopic {
    /**
     * One record: its stream, kind ("frame", "shed", "end"; "unreadable" for a record that breaks the contract), the
     * frame's capture time, when the segmenter forwarded it (-1: unknown), and a shed frame's reason (else null).
     */
    record Entry(String stream, String kind, long captureMs, long segmentedMs, String shedReason) {
        Entry(String stream, String kind, long captureMs, long segmentedMs) {
            this(stream, kind, captureMs, segmentedMs, null);
        }
    }

    /** The kind of an {@link Unreadable} record. */
    static final String UNREADABLE = "unreadable";

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
        try (var consumer = new KafkaConsumer<>(props, Topics.MASKS.keySerde().deserializer(), Topics.MASKS.valueSerde().deserializer())) {
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
                for (ConsumerRecord<String, MasksTopicRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    Entry entry = entry(record.key(), record.value());
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

    static Entry entry(String key, MasksTopicRecord value) {
        String stream = key == null ? "" : key;
        if (value instanceof Mask mask) {
            return new Entry(stream, RecordKind.FRAME.wire(), mask.frame().captureTimeMs(), mask.times().outMs());
        }
        if (value instanceof ShedMarker shed) {
            return new Entry(stream, RecordKind.SHED.wire(), shed.frame().captureTimeMs(), shed.times().outMs(), shed.reason());
        }
        if (value instanceof StreamEnd) {
            return new Entry(stream, RecordKind.END.wire(), -1, -1);
        }
        return new Entry(stream, UNREADABLE, -1, -1); // an Unreadable: counted as neither a mask nor a shed marker
    }
}
