package org.segstream.contract;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One of segstream's topics as docs/topics.md describes it: its default name and the variable that
 * renames it, its key (the stream id, UTF-8) and value types with their Serdes, and the configs it is
 * created with (the record size limit; how long and how much each partition keeps by default, -1: no limit).
 *
 * @param name           the default name
 * @param nameVariable   the environment variable that renames it
 * @param valueSerde     writes and reads a record's headers and value
 * @param retentionMs    default {@code retention.ms}
 * @param retentionBytes default {@code retention.bytes}, per partition
 */
public record Topic<V extends TopicValue>(String name, String nameVariable, Serde<V> valueSerde, long retentionMs,
                                          long retentionBytes) {

    /** Every topic is keyed by stream id, so one camera's records stay in order on one partition. */
    public Serde<String> keySerde() {
        return Serdes.String();
    }

    /** The topic's {@code max.message.bytes}: every record of the pipeline fits. */
    public int maxMessageBytes() {
        return Topics.MAX_RECORD_BYTES;
    }
}
