package org.segstream.launcher;

import org.segstream.contract.Topics;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.sink.SinkConfig;

/**
 * The names a run uses on its broker. A non-empty namespace gives the run its own topics, segmenter
 * application id (so its own changelog) and sink consumer group, so that runs on one broker do not see
 * each other's records; the empty one is what {@code run} and {@code demo} use.
 */
public record RunNamespace(String namespace) {

    /** The run's topic names ({@link PipelineRun.Options#namespace()}): what a reader of a namespaced run reads. */
    public Topics topics() {
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

    String sinkGroupId() {
        return namespace.isEmpty() ? SinkConfig.DEFAULT_GROUP_ID : SinkConfig.DEFAULT_GROUP_ID + "-" + namespace;
    }

    /** "segstream.frames" becomes "segstream.NAMESPACE.frames". */
    private String inNamespace(String topic) {
        return topic.replaceFirst("^segstream\\.", "segstream." + namespace + ".");
    }
}
