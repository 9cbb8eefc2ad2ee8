package org.segstream.launcher;

import org.segstream.contract.Topics;
import org.segstream.ingest.SourceOptions;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.sink.SinkConfig;

/**
 * What the benchmark varies between pipelines on one broker. A non-empty {@code namespace} gives the
 * run its own topics and segmenter application id (so its own changelog), so runs on one broker do not
 * see each other's records. {@link #DEFAULT} is what {@code run} and {@code demo} use.
 */
public record PipelineTuning(String namespace, SourceOptions sourceOptions, long batchMaxWaitMs, int intraOpThreads, Probe probe) {
    public static final PipelineTuning DEFAULT = new PipelineTuning("", SourceOptions.DEFAULT, SegmenterConfig.DEFAULT_BATCH_MAX_WAIT_MS,
            Runtime.getRuntime().availableProcessors(), Probe.NONE);

    Topics topics() {
        Topics defaults = Topics.defaults();
        if (namespace.isEmpty()) {
            return defaults;
        }
        return new Topics(inNamespace(defaults.frames()), inNamespace(defaults.masks()), inNamespace(defaults.deadLetters()),
                inNamespace(defaults.stats()));
    }

    String segmenterApplicationId() {
        return namespace.isEmpty() ? SegmenterConfig.DEFAULT_APPLICATION_ID : SegmenterConfig.DEFAULT_APPLICATION_ID + "-" + namespace;
    }

    /** Each namespace's sink in its own consumer group, as each has its own segmenter application id. */
    String sinkGroupId() {
        return namespace.isEmpty() ? SinkConfig.DEFAULT_GROUP_ID : SinkConfig.DEFAULT_GROUP_ID + "-" + namespace;
    }

    /** "segstream.frames" becomes "segstream.NAMESPACE.frames". */
    private String inNamespace(String topic) {
        return topic.replaceFirst("^segstream\\.", "segstream." + namespace + ".");
    }

    /** Told when the services are up and ingest starts, and when the sink has drained every source (before anything closes). */
    public interface Probe {
        Probe NONE = new Probe() {
        };

        default void ingestStarting() {
        }

        default void drained() {
        }
    }
}
