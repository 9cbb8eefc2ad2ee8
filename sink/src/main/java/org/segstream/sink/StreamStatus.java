package org.segstream.sink;

import java.time.Duration;

/**
 * How one stream is doing at a moment, as the live view shows it: its rates over the last
 * {@link FrameRate#WINDOW}, how long since its last frame, and whether it still counts as live.
 *
 * @param fps               frames written per second over the window; 0 while offline
 * @param dropRate          frames dropped per second over the window
 * @param lastFrameAgeMillis milliseconds since its last frame was written
 * @param online            a frame came within {@link #offlineAfter(double)} of its declared rate
 */
record StreamStatus(double fps, double dropRate, long lastFrameAgeMillis, boolean online) {
    /** However fast a stream declares itself, a pause shorter than this is not taken for an outage. */
    static final Duration MIN_SILENCE = Duration.ofSeconds(5);
    /** A slow stream is offline after this many of its frame intervals without a frame. */
    static final int MISSED_FRAMES = 4;

    /** How long without a frame before a stream declaring {@code declaredFps} counts as offline. */
    static Duration offlineAfter(double declaredFps) {
        if (!(declaredFps > 0)) {
            return MIN_SILENCE; // undeclared or nonsense: the floor
        }
        long nanos = Math.round(MISSED_FRAMES * 1e9 / declaredFps);
        return nanos > MIN_SILENCE.toNanos() ? Duration.ofNanos(nanos) : MIN_SILENCE;
    }

    static StreamStatus of(FrameRate rate, long lastFrameNanos, double declaredFps, long nowNanos) {
        long age = Math.max(0, nowNanos - lastFrameNanos);
        boolean online = age <= offlineAfter(declaredFps).toNanos();
        return new StreamStatus(online ? rate.perSecond(nowNanos) : 0, rate.droppedPerSecond(nowNanos), age / 1_000_000, online);
    }
}
