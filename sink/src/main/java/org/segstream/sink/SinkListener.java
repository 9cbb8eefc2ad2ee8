package org.segstream.sink;

import java.util.List;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.StreamEnd;

/** What the sink tells whoever runs it (the launcher's summary, the live view, tests). Called on the sink's thread. */
public interface SinkListener {
    /** A frame's overlay was written; the timeline says when it passed each stage ({@link FrameTimeline#endToEndMillis()}: its latency). */
    default void frameWritten(FrameIdentity frame, BgrImage overlay, FrameTimeline timeline) {
    }

    /**
     * {@code count} frames of the stream will not be written: {@code reason} "shed" (the segmenter's shed marker),
     * "gap" (missing from the sequence), or a skip reason (a frame gone, a bad mask).
     */
    default void framesMissing(String stream, long count, String reason) {
    }

    /** The sink began writing a session's files into {@code dir} (its own folder). */
    default void sessionStarted(String stream, String session, java.nio.file.Path dir) {
    }

    /** A stream session ended and its files are final. */
    default void streamEnded(StreamEnd end, long framesWritten) {
    }

    /**
     * The sink stopped tracking the stream (no record for the idle timeout, or it made room for a new
     * stream under the cap): whatever is kept per stream can go.
     */
    default void streamEvicted(String stream) {
    }

    SinkListener NONE = new SinkListener() {
    };

    /** Tells every one of {@code listeners}, in order. */
    static SinkListener all(SinkListener... listeners) {
        List<SinkListener> list = List.of(listeners);
        return new SinkListener() {
            @Override
            public void frameWritten(FrameIdentity frame, BgrImage overlay, FrameTimeline timeline) {
                list.forEach(l -> l.frameWritten(frame, overlay, timeline));
            }

            @Override
            public void framesMissing(String stream, long count, String reason) {
                list.forEach(l -> l.framesMissing(stream, count, reason));
            }

            @Override
            public void sessionStarted(String stream, String session, java.nio.file.Path dir) {
                list.forEach(l -> l.sessionStarted(stream, session, dir));
            }

            @Override
            public void streamEnded(StreamEnd end, long framesWritten) {
                list.forEach(l -> l.streamEnded(end, framesWritten));
            }

            @Override
            public void streamEvicted(String stream) {
                list.forEach(l -> l.streamEvicted(stream));
            }
        };
    }
}
