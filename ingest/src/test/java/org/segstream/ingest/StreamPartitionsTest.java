package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class StreamPartitionsTest {
    private static final List<String> CAMERAS = List.of("cam1", "cam2", "cam3", "cam4");

    @Test
    void streamsThatKafkasHashPutsOnOnePartitionGetOneEach() {
        // Kafka's default partitioner puts cam1, cam3 and cam4 on partition 3 of 4 (cam2 on 2).
        assertEquals(List.of(3, 2, 3, 3), CAMERAS.stream().map(c -> StreamPartitions.keyPartition(c, 4)).toList());
        var partitions = new StreamPartitions(() -> 4);
        assertEquals(List.of(3, 2, 0, 1), CAMERAS.stream().map(partitions::of).toList(),
                "the first keeps its key's partition, the others take the next free one");
    }

    @Test
    void aStreamKeepsItsPartitionAndTheCountIsAskedOnce() {
        var asked = new AtomicInteger();
        var partitions = new StreamPartitions(() -> {
            asked.incrementAndGet();
            return 4;
        });
        int first = partitions.of("cam3");
        partitions.of("cam1");
        assertEquals(first, partitions.of("cam3"), "a reconnecting camera writes where its earlier sessions did");
        assertEquals(1, asked.get());
    }

    @Test
    void moreStreamsThanPartitionsShareTheirKeysPartitions() {
        var partitions = new StreamPartitions(() -> 2);
        Set<Integer> used = new TreeSet<>();
        for (String camera : CAMERAS) {
            used.add(partitions.of(camera));
        }
        assertEquals(Set.of(0, 1), used, "both partitions used");
        assertEquals(StreamPartitions.keyPartition("cam4", 2), partitions.of("cam4"), "past the last free one: the key's own");
    }

    @Test
    void whileTheTopicCannotBeReadTheProducersPartitionerDecides() {
        var attempts = new AtomicInteger();
        var partitions = new StreamPartitions(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new TimeoutException("topic not present in metadata");
            }
            return 4;
        });
        assertNull(partitions.of("cam1"));
        assertEquals(3, partitions.of("cam1"), "asked again once the topic is there");
    }
}
