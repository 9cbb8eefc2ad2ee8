package org.segstream.segmenter;

/**
 * Tells when the model's memory arena should give back what it grew for a batch. ONNX Runtime keeps
 * the most any run needed for the life of the process: one 3840x2160 frame among 640x360 ones would
 * leave about 4.7 GB resident for good. So the arena is released after a batch larger than every
 * batch of the last {@code windowMs}, or the first after a window without its largest size. Streams of
 * a steady size stop triggering it once their largest batch has run (a release costs the next batch
 * its allocations again); a stream of large frames keeps its memory, as it needs it. Confined to one
 * stream thread.
 */
final class LargeBatches {
    private final long windowMs;
    private long largestPixels;
    private long largestAtMs;

    LargeBatches(long windowMs) {
        this.windowMs = windowMs;
    }

    /** Notes a batch of {@code pixels} that ran at {@code nowMs}; true when memory should be given back after it. */
    boolean release(long pixels, long nowMs) {
        boolean release = pixels > largestPixels || nowMs - largestAtMs > windowMs;
        if (release || pixels == largestPixels) {
            largestPixels = pixels;
            largestAtMs = nowMs;
        }
        return release;
    }
}
