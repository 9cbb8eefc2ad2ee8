package org.segstream.ingest;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition of the frames topic each stream of this process writes to: the one Kafka's default partitioner gives
 * its key, unless another stream of this process has it already; then the next partition none of them has (all taken:
 * the key's own). Kafka's hash puts two of four keys on one partition more often than not (cam1, cam3 and cam4 all
 * on partition 3 of 4), and the streams of a shared partition are read one record after another: a camera waits
 * behind a file's records ahead of it, and the stream thread has one partition fewer to draw batches from.
 *
 * <p>A stream keeps its partition for the life of the process, reconnections included, so its records stay in order
 * (the end record with them). Streams of other ingest processes may still share a partition with these.
 */
final class StreamPartitions {
    private final IntSupplier partitionCount;
    private final Map<String, Integer> byStream = new HashMap<>();
    private final Set<Integer> taken = new HashSet<>();
    private int partitions;

    /** {@code partitionCount}: the frames topic's partitions, asked when the first stream needs one (again if that failed). */
    StreamPartitions(IntSupplier partitionCount) {
        this.partitionCount = partitionCount;
    }

    /**
     * The partition of {@code stream}'s records; null while the topic's partitions cannot be known (the producer's
     * partitioner decides then, by the key, and the send reports what is wrong with the topic).
     */
    synchronized Integer of(String stream) {
        Integer known = byStream.get(stream);
        if (known != null) {
            return known;
        }
        if (partitions == 0) {
            try {
                partitions = partitionCount.getAsInt();
            } catch (KafkaException e) {
                return null;
            }
            if (partitions < 1) {
                partitions = 0;
                return null;
            }
        }
        int own = keyPartition(stream, partitions);
        int partition = own;
        for (int i = 0; i < partitions && taken.contains(partition); i++) {
            partition = (own + i + 1) % partitions;
        }
        if (taken.contains(partition)) {
            partition = own; // every partition has a stream of this process: share the key's own
        }
        taken.add(partition);
        byStream.put(stream, partition);
        return partition;
    }

    /** The partition Kafka's default partitioner gives a record keyed {@code stream} (murmur2 of its UTF-8 bytes). */
    static int keyPartition(String stream, int partitions) {
        return Utils.toPositive(Utils.murmur2(stream.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
