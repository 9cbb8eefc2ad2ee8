package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.RecordKind;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.testsupport.KafkaBrokerExtension;

/** On a real broker: four streams whose keys Kafka's hash puts three on one partition each get a partition of their own. */
class FrameProducerPartitionsIT {
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    @Test
    void eachStreamOfAProcessWritesToAPartitionOfItsOwnEndRecordIncluded() throws Exception {
        var topics = new Topics("parts.frames", "parts.masks", "parts.dead-letters", "parts.stats");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.frames(), 4, (short) 1))).all().get();
        }
        List<String> cameras = List.of("cam1", "cam2", "cam3", "cam4");
        try (var producer = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), topics))) {
            for (int seq = 0; seq < 3; seq++) {
                for (String camera : cameras) {
                    var identity = new FrameIdentity(camera, "s1", seq, seq * 40_000L, System.currentTimeMillis(), 2, 2, 25, "jpeg",
                            SourceKind.LIVE);
                    producer.sendFrame(identity, new byte[] {1, 2, 3});
                }
            }
            cameras.forEach(camera -> producer.sendEnd(new StreamEnd(camera, "s1", 3)));
            producer.flush();
        }
        Map<String, Set<Integer>> partitionsByStream = new HashMap<>();
        Map<String, List<RecordKind>> kinds = new HashMap<>();
        var props = new HashMap<String, Object>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.frames()));
            long until = System.currentTimeMillis() + 60_000;
            int read = 0;
            while (read < 16 && System.currentTimeMillis() < until) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    partitionsByStream.computeIfAbsent(r.key(), k -> new HashSet<>()).add(r.partition());
                    kinds.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(StreamEnd.kindOf(r.headers()));
                    read++;
                }
            }
        }
        Set<Integer> used = new HashSet<>();
        for (String camera : cameras) {
            assertEquals(1, partitionsByStream.get(camera).size(), camera + ": every record, end record included, on one partition");
            used.addAll(partitionsByStream.get(camera));
            assertEquals(List.of(RecordKind.FRAME, RecordKind.FRAME, RecordKind.FRAME, RecordKind.END), kinds.get(camera), camera + ": in order");
        }
        assertEquals(Set.of(0, 1, 2, 3), used, "four streams on four partitions");
    }
}
