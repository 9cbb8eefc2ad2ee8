package org.segstream.segmenter;

import java.util.List;
import java.util.Map;

/**
 * Reads frames-topic records back by their position: after a restart, the pending-frames store names the frames
 * still waiting for their masks (by partition and offset) and this gives their records again.
 */
interface FrameReader {
    /**
     * The records at {@code offsets} (ascending) of the frames topic's {@code partition}, by offset; an offset the
     * topic no longer holds (deleted by retention) is missing from the answer.
     */
    Map<Long, StoredRecord> read(int partition, List<Long> offsets);

    /** For a topology whose stores start empty (tests): asked for anything, it says so. */
    static FrameReader none() {
        return (partition, offsets) -> {
            throw new IllegalStateException("no frames-topic reader: cannot re-read " + offsets.size() + " pending frames");
        };
    }
}
