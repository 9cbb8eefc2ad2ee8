package org.segstream.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.segstream.contract.Topic;
import org.segstream.contract.TopicValue;

/**
 * Reads one topic from its beginning as a read_committed consumer without a group (nothing is
 * committed, nothing disturbs the pipeline's groups), a step at a time: each {@link #catchUp} reads
 * every partition up to its end as it stands at the call (the last stable offset: no open transaction
 * is waited for, none is read), through the topic's Serde.
 */
final class TopicTail<V extends TopicValue> implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final KafkaConsumer<String, V> consumer;
    private List<TopicPartition> partitions = List.of();

    /** Reads {@code contract}'s records from the topic named {@code topic} (the name this deployment gives it). */
    TopicTail(Map<String, Object> clientProperties, Topic<V> contract, String topic) {
        this.topic = topic;
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 10 * 1024 * 1024);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer = new KafkaConsumer<>(props, contract.keySerde().deserializer(), contract.valueSerde().deserializer());
    }

    /** Hands every record up to the current end of each partition to {@code sink}, in partition order; returns how many. */
    int catchUp(Consumer<ConsumerRecord<String, V>> sink, Duration timeout) {
        assignNewPartitions();
        if (partitions.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        int read = 0;
        while (!reached(ends)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " up to its end " + ends + " within " + timeout);
            }
            for (ConsumerRecord<String, V> record : consumer.poll(POLL)) {
                sink.accept(record);
                read++;
            }
        }
        return read;
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (var end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void assignNewPartitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.size() == partitions.size()) {
            return;
        }
        List<TopicPartition> all = new ArrayList<>();
        for (PartitionInfo info : infos) {
            all.add(new TopicPartition(topic, info.partition()));
        }
        List<TopicPartition> added = new ArrayList<>(all);
        added.removeAll(partitions);
        consumer.assign(all);
        consumer.seekToBeginning(added);
        partitions = all;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
