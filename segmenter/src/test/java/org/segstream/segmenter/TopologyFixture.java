package org.segstream.segmenter;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.segstream.contract.Topics;
import org.segstream.segmenter.model.Device;
import org.segstream.segmenter.model.InferenceModel;
import org.segstream.segmenter.model.ModelDescriptor;

/**
 * The segmenter topology under TopologyTestDriver (no broker), inference inline in the stream thread: the frames
 * topic to pipe records into as a producer writes them, and the masks, stats and dead-letters topics as bytes, as
 * a consumer reads them. Model and settings are the test's: the real model where its output is checked, a
 * {@link FakeModel} elsewhere.
 */
final class TopologyFixture implements AutoCloseable {
    static final Topics TOPICS = Topics.defaults();

    final SegmenterStats stats = new SegmenterStats();
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> frames;
    final TestOutputTopic<String, byte[]> masks;
    final TestOutputTopic<String, byte[]> statsTopic;
    final TestOutputTopic<String, byte[]> deadLetters;

    private TopologyFixture(SegmenterConfig config, InferenceModel model, ModelDescriptor descriptor, FrameReader reader) {
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "segmenter-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/state-" + System.nanoTime());
        driver = new TopologyTestDriver(SegmenterTopology.build(config, model, descriptor, stats, InferenceThreads.inline(), reader), props);
        frames = driver.createInputTopic(TOPICS.frames(), new StringSerializer(), new ByteArraySerializer());
        masks = driver.createOutputTopic(TOPICS.masks(), new StringDeserializer(), new ByteArrayDeserializer());
        statsTopic = driver.createOutputTopic(TOPICS.stats(), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetters(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The topology of {@code config} on {@code model}; its stores start empty, so nothing is re-read. */
    static TopologyFixture start(SegmenterConfig config, InferenceModel model, ModelDescriptor descriptor) {
        return new TopologyFixture(config, model, descriptor, FrameReader.none());
    }

    /** Defaults for {@code model} (the descriptor's path; unused with a fake model) with these batching settings and limits. */
    static SegmenterConfig config(Path model, SegmenterConfig.Batching batching, InputSizing sizing, InputLimits limits) {
        return SegmenterConfig.of("unused:9092", TOPICS, model, Path.of("target", "state"))
                .withApplicationId("segmenter-test")
                .withInference(new SegmenterConfig.Inference(model, Device.CPU, 2, sizing, false, SegmenterConfig.Inference.AUTO_RUNS))
                .withBatching(batching)
                .withLimits(limits);
    }

    /** Batches of {@code batchSize}, run after {@code maxWaitMs}; frames live for 3 s; the defaults otherwise. */
    static SegmenterConfig config(Path model, int batchSize, long maxWaitMs) {
        return config(model, new SegmenterConfig.Batching(batchSize, maxWaitMs, 3000, SegmenterConfig.DEFAULT_LIVE_FIRST),
                InputSizing.NATIVE, InputLimits.defaults());
    }

    /** The pending-frames store: the positions of the frames admitted and not yet forwarded. */
    KeyValueStore<Long, byte[]> pendingFrames() {
        return driver.getKeyValueStore(SegmentProcessor.STORE);
    }

    @Override
    public void close() {
        driver.close();
    }
}
