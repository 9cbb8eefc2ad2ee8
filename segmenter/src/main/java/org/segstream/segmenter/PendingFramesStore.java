package org.segstream.segmenter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's pending-frames store: the position (partition and offset, {@link PendingPosition}) of every frame admitted
 * and not yet forwarded, put when admitted and deleted in the step that forwards its output. After a restart it
 * names the frames to segment again, and {@link #restore} reads them back from the frames topic ({@link FrameReader});
 * entries an earlier version wrote whole ({@link StoredRecord#encode}) are still read as they are.
 *
 * <p>Re-reading is safe: a pending frame was read at most a read-ahead window (seconds, {@link
 * InputLimits#maxBatchPixels()} of frames) before the task's committed position, and the restarted task reads
 * on from that position anyway, so whatever retention keeps of the frames topic (at least a minute, an hour
 * by default) holds the pending frames too unless it also deleted records the restart needs. If retention did
 * delete one (a segmenter down for longer than the frames topic keeps), {@link #restore} returns it without a value.
 */
final class PendingFramesStore {
    private static final Logger log = LoggerFactory.getLogger(PendingFramesStore.class);

    private final KeyValueStore<Long, byte[]> store;
    private final FrameReader frames;
    private final TaskId task;

    PendingFramesStore(KeyValueStore<Long, byte[]> store, FrameReader frames, TaskId task) {
        this.store = store;
        this.frames = frames;
        this.task = task;
    }

    void put(StoredRecord record) {
        store.put(record.offset(), PendingPosition.encode(record.partition()));
    }

    void delete(StoredRecord record) {
        store.delete(record.offset());
    }

    /**
     * The records the store names, in offset order, read back from the frames topic (a
     * record the topic no longer holds comes back with a null value); unreadable entries are deleted.
     */
    List<StoredRecord> restore() {
        Map<Integer, List<Long>> offsetsByPartition = new TreeMap<>();
        Map<Long, StoredRecord> wholeRecords = new TreeMap<>();
        List<Long> unreadable = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> pending = store.all()) {
            while (pending.hasNext()) {
                var entry = pending.next();
                try {
                    if (StoredRecord.isWholeRecord(entry.value)) { // written by a version that kept the whole record
                        wholeRecords.put(entry.key, StoredRecord.decode(entry.value));
                        continue;
                    }
                    offsetsByPartition.computeIfAbsent(PendingPosition.partitionOf(entry.value), p -> new ArrayList<>()).add(entry.key);
                } catch (RuntimeException e) {
                    log.error("task {}: pending-frames store entry {} is unreadable and is skipped: {}", task, entry.key, e.toString());
                    unreadable.add(entry.key);
                }
            }
        }
        unreadable.forEach(store::delete);
        List<StoredRecord> records = new ArrayList<>(wholeRecords.values());
        offsetsByPartition.forEach((partition, offsets) -> records.addAll(reread(partition, offsets)));
        records.sort(Comparator.comparingLong(StoredRecord::offset)); // each stream's arrival order, old entries among new
        return records;
    }

    private List<StoredRecord> reread(int partition, List<Long> offsets) {
        offsets.sort(null);
        Map<Long, StoredRecord> read = frames.read(partition, offsets);
        List<StoredRecord> records = new ArrayList<>(offsets.size());
        for (long offset : offsets) {
            records.add(read.getOrDefault(offset,
                    new StoredRecord(partition, offset, System.currentTimeMillis(), null, new RecordHeaders(), null)));
        }
        return records;
    }
}
