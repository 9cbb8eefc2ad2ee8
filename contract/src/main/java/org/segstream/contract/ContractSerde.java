package org.segstream.contract;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Serde whose records are headers and value together, as every segstream topic's are: the serializer
 * writes the headers into the record's own {@link Headers} (Kafka's producer and Kafka Streams pass them)
 * and returns the value; the deserializer reads both. Without headers there is no record to write or read.
 */
final class ContractSerde<T> implements Serde<T> {
    /** Writes {@code value}'s headers into {@code headers}, returns its value bytes. */
    interface Writer<T> {
        byte[] write(T value, Headers headers);
    }

    /** Reads a record from its headers and value bytes (null for a record without a value). */
    interface Reader<T> {
        T read(Headers headers, byte[] value);
    }

    private final String what;
    private final Writer<T> writer;
    private final Reader<T> reader;

    ContractSerde(String what, Writer<T> writer, Reader<T> reader) {
        this.what = what;
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public Serializer<T> serializer() {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, T data) {
                throw new UnsupportedOperationException("a " + what + " is written with its headers: use serialize(topic, headers, data)");
            }

            @Override
            public byte[] serialize(String topic, Headers headers, T data) {
                return data == null ? null : writer.write(data, headers);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return new Deserializer<>() {
            @Override
            public T deserialize(String topic, byte[] data) {
                throw new UnsupportedOperationException("a " + what + " is read with its headers: use deserialize(topic, headers, data)");
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                return reader.read(headers, data);
            }
        };
    }

    @Override
    public String toString() {
        return "Serde of a " + what;
    }
}
