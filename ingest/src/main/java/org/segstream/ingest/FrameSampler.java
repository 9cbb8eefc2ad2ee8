package org.segstream.ingest;

/**
 * Keeps frames at a target rate by presentation time, not by counting: a 30 fps source sampled at
 * 5 fps keeps one frame per 200 ms of pts, and a variable-rate source (or one that drops frames)
 * still yields the target rate. A pts that jumps back (a concatenated file, a source restart) starts over.
 */
final class FrameSampler {
    private final long intervalMicros;
    private long next = Long.MIN_VALUE;

    /** {@code fps} 0 keeps every frame. */
    FrameSampler(double fps) {
        this.intervalMicros = fps > 0 ? Math.round(1e6 / fps) : 0;
    }

    boolean keep(long ptsMicros) {
        if (intervalMicros == 0) {
            return true;
        }
        if (next != Long.MIN_VALUE && ptsMicros < next - 10 * intervalMicros) {
            next = Long.MIN_VALUE; // time went backwards: start over
        }
        if (next == Long.MIN_VALUE || ptsMicros >= next - intervalMicros / 100) {
            // The next slot follows this one; after a gap, from this frame rather than catching up.
            next = next == Long.MIN_VALUE || ptsMicros >= next + intervalMicros ? ptsMicros + intervalMicros : next + intervalMicros;
            return true;
        }
        return false;
    }
}
