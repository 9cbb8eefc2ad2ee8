package org.segstream.launcher;

import org.segstream.sink.SinkListener;

/**
 * Watches a {@link PipelineRun} from outside without changing it: every event of the sink (each frame
 * written, with its timeline), plus the two moments between which the pipeline works: the services are
 * up and ingest starts, and the sink has drained every source (nothing is closed yet). Called on the
 * run's threads; the sink's events on the sink's thread.
 */
public interface RunListener extends SinkListener {
    RunListener NONE = new RunListener() {
    };

    /** The segmenter and the sink run; ingest starts reading the sources now. */
    default void ingestStarting() {
    }

    /** Every readable source has ended and each of its frames has left the sink; the services still run. */
    default void drained() {
    }
}
