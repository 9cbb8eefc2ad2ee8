package org.segstream.sink;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which masks offsets the sink may commit, and committing them. Per partition it remembers the offset
 * after the last record handled; a commit goes that far, but never past what {@link HeldBack} says:
 * the first mask of a file still open, so a crash replays that file from its start (see
 * {@link StreamOutput}). Used by the sink's thread only.
 */
final class MaskCommits {
    private static final Logger log = LoggerFactory.getLogger(MaskCommits.class);

    /** How far a partition may be committed, given the offset after its last handled record. */
    @FunctionalInterface
    interface HeldBack {
        long committable(TopicPartition partition, long handledUpTo);
    }

    private final Consumer<String, ?> masks;
    private final HeldBack heldBack;
    /** Per masks partition, the offset after the last record handled. */
    private final Map<TopicPartition, Long> handledUpTo = new HashMap<>();

    MaskCommits(Consumer<String, ?> masks, HeldBack heldBack) {
        this.masks = masks;
        this.heldBack = heldBack;
    }

    /** The record is handled: written, skipped or counted, it needs no second look unless a file holds it back. */
    void handled(ConsumerRecord<String, ?> record) {
        handledUpTo.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
    }

    /** The offsets a commit now would write, per partition. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        handledUpTo.forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(heldBack.committable(partition, next))));
        return offsets;
    }

    /** Commits {@link #committable()}; a commit that fails is logged and tried again by the next (it replays, never loses). */
    void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable();
        if (offsets.isEmpty()) {
            return;
        }
        try {
            masks.commitSync(offsets);
        } catch (CommitFailedException | RetriableException e) {
            log.warn("committing the sink's offsets failed ({}); the next commit tries again", e.getMessage());
        }
    }

    /** The partition moved to another sink instance: nothing more is committed for it here. */
    void revoked(TopicPartition partition) {
        handledUpTo.remove(partition);
    }
}
