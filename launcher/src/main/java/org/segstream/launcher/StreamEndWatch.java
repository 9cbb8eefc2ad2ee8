package org.segstream.launcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.segstream.contract.Headers;
import org.segstream.contract.RecordKind;

/**
 * Waits for a stream's end record on a masks topic, as any read_committed reader of the topic sees it:
 * the moment the segmenter has forwarded the stream's last mask. Joins no group, commits nothing.
 */
final class StreamEndWatch {
    private StreamEndWatch() {
    }

    /** True once {@code stream}'s end record is on {@code topic}; false after {@code timeout}. The topic may not exist yet. */
    static boolean await(String bootstrapServers, String topic, String stream, Duration timeout) throws InterruptedException {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // the pipeline creates the topic with its partitions and retention; a reader must not create it first
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions;
            while ((partitions = consumer.partitionsFor(topic)).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(200);
            }
            consumer.assign(partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList());
            consumer.seekToBeginning(consumer.assignment());
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (stream.equals(record.key()) && RecordKind.END.wire().equals(Headers.getOrNull(record.headers(), Headers.KIND))) {
                        return true;
                    }
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return false;
        }
    }
}
