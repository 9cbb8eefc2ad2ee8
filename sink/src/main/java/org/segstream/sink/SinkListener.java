package org.segstream.sink;

import org.segstream.contract.FrameIdentity;
import org.segstream.contract.StreamEnd;

/** What the sink tells whoever runs it (the launcher's summary, tests). Called on the sink's thread. */
public interface SinkListener {
    /** A frame's overlay was written; latency = now minus the frame's capture time. */
    default void frameWritten(FrameIdentity frame, long latencyMillis) {
    }

    /** A stream session ended and its files are final. */
    default void streamEnded(StreamEnd end, long framesWritten) {
    }

    SinkListener NONE = new SinkListener() {
    };
}
