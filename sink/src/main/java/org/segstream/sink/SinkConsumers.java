package org.segstream.sink;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.MasksTopicRecord;
import org.segstream.contract.Topics;

/**
 * The sink's two Kafka consumers, each reading its topic through the topic's Serdes ({@link Topics}): masks
 * in the sink's group, read_committed, committed by hand; frames by assigned partitions, without a group,
 * read where a mask points. The user's Kafka settings
 * ({@link SinkConfig#kafka()}) pass through to both.
 */
final class SinkConsumers {
    private SinkConsumers() {
    }

    /** Masks-topic records through the topic's Serdes: a record that does not read is {@link org.segstream.contract.Unreadable}. */
    static KafkaConsumer<String, MasksTopicRecord> masks(SinkConfig config) {
        return new KafkaConsumer<>(masksProperties(config), Topics.MASKS.keySerde().deserializer(),
                Topics.MASKS.valueSerde().deserializer());
    }

    /** Frames-topic records through the topic's Serdes. */
    static KafkaConsumer<String, FramesTopicRecord> frames(SinkConfig config) {
        return new KafkaConsumer<>(framesProperties(config), Topics.FRAMES.keySerde().deserializer(),
                Topics.FRAMES.valueSerde().deserializer());
    }

    static Map<String, Object> masksProperties(SinkConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // masks are written in transactions
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "segstream-sink-masks");
        props.putAll(config.kafka());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }

    static Map<String, Object> framesProperties(SinkConfig config) {
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
        return props;
    }
}
