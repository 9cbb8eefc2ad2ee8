package org.segstream.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.segstream.contract.Frame;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;

/**
 * Publishes frames to the frames topic, keyed by stream id, each stream of the process on a partition of its own
 * where there are enough ({@link StreamPartitions}): idempotent, acks=all, and with a bounded
 * buffer so that a slow broker blocks decoding rather than growing memory. One producer serves all
 * the streams of a process (KafkaProducer is thread-safe).
 */
public final class FrameProducer implements AutoCloseable {
    private final KafkaProducer<String, FramesTopicRecord> producer;
    private final String topic;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    /** Null where the user set a partitioner of their own (it decides). */
    private final StreamPartitions partitions;

    public FrameProducer(IngestConfig config) {
        this.topic = config.topics().frames();
        this.producer = new KafkaProducer<>(producerProperties(config), Topics.FRAMES.keySerde().serializer(),
                Topics.FRAMES.valueSerde().serializer());
        this.partitions = config.kafka().containsKey(ProducerConfig.PARTITIONER_CLASS_CONFIG) ? null
                : new StreamPartitions(() -> producer.partitionsFor(topic).size());
    }

    /** Our defaults, then the user's pass-through properties on top, then the bootstrap servers. */
    static Map<String, Object> producerProperties(IngestConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024); // full buffer => send() blocks => decoding waits
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"); // JPEG does not compress further
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "segstream-ingest");
        props.putAll(config.kafka());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }

    public void sendFrame(FrameIdentity identity, byte[] value) {
        sendFrame(identity, value, () -> { });
    }

    /** As {@link #sendFrame(FrameIdentity, byte[])}; {@code acknowledged} runs when the broker has the frame. */
    public void sendFrame(FrameIdentity identity, byte[] value, Runnable acknowledged) {
        sendFrame(new Frame(identity, value), acknowledged);
    }

    /** Sends {@code frame}, keyed by its stream; {@code acknowledged} runs when the broker has it. */
    public void sendFrame(Frame frame, Runnable acknowledged) {
        send(new ProducerRecord<>(topic, partitionOf(frame.identity().stream()), frame.identity().stream(), frame), acknowledged);
    }

    public void sendEnd(StreamEnd end) {
        send(new ProducerRecord<>(topic, partitionOf(end.stream()), end.stream(), end), () -> { });
    }

    /** The stream's partition ({@link StreamPartitions}), or null for the user's own partitioner. */
    private Integer partitionOf(String stream) {
        return partitions == null ? null : partitions.of(stream);
    }

    private void send(ProducerRecord<String, FramesTopicRecord> record, Runnable acknowledged) {
        Exception failed = firstFailure.get();
        if (failed != null) {
            throw new IllegalStateException("the frames producer failed: " + failed.getMessage(), failed);
        }
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                firstFailure.compareAndSet(null, error);
            } else {
                acknowledged.run();
            }
        });
    }

    /** Waits until everything sent so far is acknowledged; throws if anything failed. */
    public void flush() {
        producer.flush();
        Exception failed = firstFailure.get();
        if (failed != null) {
            throw new IllegalStateException("the frames producer failed: " + failed.getMessage(), failed);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
