package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.RecordKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.testsupport.ServiceProcess;

/** A read_committed reader of the masks topic that keeps everything it saw, in order. */
final class MaskVerifier implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, List<ConsumerRecord<String, byte[]>>> byStream = new HashMap<>();
    private int masks;
    private int ends;

    MaskVerifier(String bootstrap, Topics topics) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "verifier-" + System.nanoTime());
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.masks()));
    }

    void awaitAtLeast(int count, Duration timeout, ServiceProcess segmenter) {
        segmenter.awaitWhileAlive(count + " masks", timeout, () -> {
            poll();
            return masks >= count;
        });
    }

    int masks() {
        return masks;
    }

    void awaitEnds(int count, Duration timeout, ServiceProcess segmenter) {
        segmenter.awaitWhileAlive(count + " end records", timeout, () -> {
            poll();
            return ends >= count;
        });
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
            byStream.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
            if (StreamEnd.kindOf(record.headers()) == RecordKind.END) {
                ends++;
            } else {
                masks++;
            }
        }
    }

    /** Streams cam-0..cam-(streams-1): seq 0..frames-1 each exactly once and in order, then the end record. */
    void assertExactlyOnceInOrder(int streams, int frames) {
        assertEquals(streams, byStream.size());
        for (int s = 0; s < streams; s++) {
            List<ConsumerRecord<String, byte[]>> records = byStream.get("cam-" + s);
            List<Long> seqs = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : records.subList(0, records.size() - 1)) {
                seqs.add(FrameIdentity.readFrom(record.headers()).seq());
            }
            List<Long> expected = new ArrayList<>();
            for (long seq = 0; seq < frames; seq++) {
                expected.add(seq);
            }
            assertEquals(expected, seqs, "cam-" + s + ": every frame once, in order");
            assertEquals(RecordKind.END, StreamEnd.kindOf(records.get(records.size() - 1).headers()));
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
