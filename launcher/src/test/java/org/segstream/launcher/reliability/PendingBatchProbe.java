package org.segstream.launcher.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Watches the segmenter's pending-frames changelog as a read_committed reader: the frames it holds
 * are those admitted and committed whose mask is not committed yet. A kill while this is non-zero
 * finds a partial batch in the store, for the next instance to restore (the path SegmenterCrashIT
 * tests precisely); a kill while it is zero finds the work in an open transaction, aborted and redone.
 */
final class PendingBatchProbe implements AutoCloseable {
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<String> pending = new HashSet<>();
    private boolean assigned;
    private boolean admittedInLastPoll;

    PendingBatchProbe(String bootstrapServers, String applicationId) {
        this.topic = applicationId + "-pending-frames-changelog";
        this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers, "isolation.level", "read_committed",
                "enable.auto.commit", false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Frames in the store as of the last committed transaction (0 until the changelog exists). */
    int pendingNow() {
        if (!assigned && !assign()) {
            return 0;
        }
        admittedInLastPoll = false;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            String key = record.partition() + ":" + Base64.getEncoder().encodeToString(record.key());
            if (record.value() == null) {
                pending.remove(key);
            } else {
                pending.add(key);
                admittedInLastPoll = true;
            }
        }
        return pending.size();
    }

    /**
     * Whether a partial batch sits in the store while frames are still being admitted to it: a kill
     * now finds it there, rather than just after its batch ran (or its wait timed out) and was committed.
     */
    boolean batchFilling() {
        return pendingNow() > 0 && admittedInLastPoll;
    }

    private boolean assign() {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.KafkaException notYet) {
            return false;
        }
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        assigned = true;
        return true;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
