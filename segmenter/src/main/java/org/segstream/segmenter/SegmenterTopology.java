package org.segstream.segmenter;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.segstream.contract.Topics;
import org.segstream.segmenter.model.InferenceModel;
import org.segstream.segmenter.model.ModelDescriptor;
import org.segstream.segmenter.model.SegmentationModel;

/** frames topic -> {@link SegmentProcessor} (with its pending-frames store) -> masks, stats and dead-letters topics. */
final class SegmenterTopology {
    /** How often each task checks for due batches and finished masks. */
    static final Duration TICK = Duration.ofMillis(5);

    private SegmenterTopology() {
    }

    /** With inference inline in the stream thread: for tests that drive the topology step by step. */
    static Topology build(SegmenterConfig config, SegmentationModel model, SegmenterStats stats) {
        return build(config, model, stats, InferenceThreads.inline(), FrameReader.none());
    }

    /**
     * {@code inference} makes each stream thread's inference runner; {@code frames} re-reads, after a restart,
     * the frames the pending-frames store names.
     */
    static Topology build(SegmenterConfig config, SegmentationModel model, SegmenterStats stats, InferenceThreads inference,
                          FrameReader frames) {
        return build(config, model, model.descriptor(), stats, inference, frames);
    }

    /** As above with any {@link InferenceModel} (tests give a fake one); {@code descriptor} names its label and classes. */
    static Topology build(SegmenterConfig config, InferenceModel model, ModelDescriptor descriptor, SegmenterStats stats,
                          InferenceThreads inference, FrameReader frames) {
        // One batcher per stream thread, shared by that thread's tasks: batches span streams without locks.
        Map<Thread, FrameBatcher> batchers = Collections.synchronizedMap(new WeakHashMap<>());
        // One stream table per instance: the stream cap and the metric labels are the instance's.
        var streams = new ActiveStreams(config.limits(), stats::forgetStream);
        stats.activeStreamsFrom(streams::size);
        var admission = new FrameAdmission(config.limits(), streams);
        var topology = new Topology();
        topology.addSource("frames", Topics.FRAMES.keySerde().deserializer(), Topics.FRAMES.valueSerde().deserializer(),
                config.topics().frames());
        topology.addProcessor("segment",
                () -> new SegmentProcessor(
                        () -> batchers.computeIfAbsent(Thread.currentThread(),
                                t -> new FrameBatcher(inference.runnerFor(model, t), config.batching(), config.modelInput(),
                                        config.limits(), stats)),
                        stats, descriptor.label(), descriptor.classes(), admission, streams, TICK, frames),
                "frames");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SegmentProcessor.STORE), Serdes.Long(), Serdes.ByteArray())
                        // Entries are a frame's position only (a few bytes): the frame itself is re-read from the frames
                        // topic after a restart (SegmentProcessor). Most frames are admitted and segmented between two
                        // commits: the cache folds their put and delete, so few entries reach the changelog at all.
                        .withLoggingEnabled(Map.of())
                        .withCachingEnabled(),
                "segment");
        topology.addSink(SegmentProcessor.TO_MASKS, config.topics().masks(),
                Topics.MASKS.keySerde().serializer(), Topics.MASKS.valueSerde().serializer(), "segment");
        topology.addSink(SegmentProcessor.TO_STATS, config.topics().stats(),
                Topics.STATS.keySerde().serializer(), Topics.STATS.valueSerde().serializer(), "segment");
        topology.addSink(SegmentProcessor.TO_DEAD_LETTERS, config.topics().deadLetters(),
                Topics.DEAD_LETTERS.keySerde().serializer(), Topics.DEAD_LETTERS.valueSerde().serializer(), "segment");
        return topology;
    }
}
