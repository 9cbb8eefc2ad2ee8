package org.segstream.ingest;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Publishes a file at its own rate, as a camera would: frame k waits until its pts has elapsed since the first frame. */
final class Pacer {
    private long firstPts = Long.MIN_VALUE;
    private long startNanos;

    /** Waits for the frame's time; false if {@code stop} was released meanwhile. */
    boolean await(long ptsMicros, CountDownLatch stop) {
        if (firstPts == Long.MIN_VALUE || ptsMicros < firstPts) {
            firstPts = ptsMicros;
            startNanos = System.nanoTime();
            return stop.getCount() > 0;
        }
        long due = startNanos + (ptsMicros - firstPts) * 1000;
        long wait = due - System.nanoTime();
        try {
            return wait <= 0 ? stop.getCount() > 0 : !stop.await(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
