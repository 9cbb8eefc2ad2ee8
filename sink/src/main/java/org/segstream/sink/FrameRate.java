package org.segstream.sink;

/** PLACEHOLDER until the live-page branch lands: frames per second over a sliding window. */
final class FrameRate {
    private static final long WINDOW = 5_000_000_000L;
    private final java.util.ArrayDeque<Long> times = new java.util.ArrayDeque<>();

    void frame(long nowNanos) {
        times.addLast(nowNanos);
        while (times.size() > 1 && nowNanos - times.peekFirst() > WINDOW) {
            times.pollFirst();
        }
    }

    double perSecond(long nowNanos) {
        return times.size() < 2 ? 0 : (times.size() - 1) / ((times.peekLast() - times.peekFirst()) / 1e9);
    }
}
