package org.segstream.sink;

import java.time.Duration;

/**
 * How much per-stream state the sink and its live page keep: every map keyed by stream id, open
 * overlay files and metric series with a {@code stream} label. A stream id is outside input, so
 * without a bound 2,000 ids of one frame each would hold 2,000 open files for ever.
 *
 * @param idle       a stream with no record for this long is forgotten; its open session is closed as
 *                   incomplete (its end record never came), so the committed offset moves on
 * @param maxStreams at most this many streams at once; past it, the least recently active stream
 *                   without an open file makes room, and if every one has an open file a new id is refused
 */
public record StreamLimits(Duration idle, int maxStreams) {
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(300);
    /**
     * Each open stream holds an H.264 encoder: measured here after its first frame, 5.7 MB at 640x360,
     * 10 MB at 720p, 22 MB at 1080p (more as its lookahead fills) and 4 x264 threads. 100 open 1080p
     * streams are then a few GB and 400 threads: size it to the machine.
     */
    public static final int DEFAULT_MAX_STREAMS = 100;
    public static final StreamLimits DEFAULTS = new StreamLimits(DEFAULT_IDLE, DEFAULT_MAX_STREAMS);

    public StreamLimits {
        if (idle == null || idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("stream idle timeout " + idle + " must be positive");
        }
        if (maxStreams < 1) {
            throw new IllegalArgumentException("at most " + maxStreams + " streams: must be at least 1");
        }
    }
}
