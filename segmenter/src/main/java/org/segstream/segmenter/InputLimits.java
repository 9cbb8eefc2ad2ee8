package org.segstream.segmenter;

/**
 * What the segmenter spends on input it does not control: pixels decoded per frame and run per
 * batch (which bound inference memory), and how many streams it keeps state for, for how long.
 *
 * @param maxFramePixels  a frame over this many pixels (by its headers and its JPEG frame header) is dead-lettered
 *                        before it is decoded
 * @param maxBatchPixels  a batch is cut before a frame would take it over this many pixels (a frame over it on its
 *                        own runs alone)
 * @param maxStreams      streams with per-stream state at once; a frame of a new stream beyond them is dead-lettered
 * @param streamIdleMs    a stream without a valid frame for this long is forgotten: its state and metric series
 * @param maxStreamLabels streams with a {@code stream} label of their own on the metrics; the others count under
 *                        {@code stream="(other)"}
 */
public record InputLimits(long maxFramePixels, long maxBatchPixels, int maxStreams, long streamIdleMs, int maxStreamLabels) {

    /** 4K UHD: a 3840x2160 frame, or four 1920x1080 frames in one batch. */
    public static final long DEFAULT_MAX_FRAME_PIXELS = 3840L * 2160;
    public static final long DEFAULT_MAX_BATCH_PIXELS = 3840L * 2160;
    public static final int DEFAULT_MAX_STREAMS = 1000;
    public static final long DEFAULT_STREAM_IDLE_MS = 10 * 60_000;
    public static final int DEFAULT_MAX_STREAM_LABELS = 500;

    public InputLimits {
        if (maxFramePixels < 1) {
            throw new IllegalArgumentException("max frame pixels " + maxFramePixels + " must be positive");
        }
        if (maxBatchPixels < 1) {
            throw new IllegalArgumentException("max batch pixels " + maxBatchPixels + " must be positive");
        }
        if (maxStreams < 1) {
            throw new IllegalArgumentException("max streams " + maxStreams + " must be positive");
        }
        if (streamIdleMs < 1) {
            throw new IllegalArgumentException("stream idle time " + streamIdleMs + " ms must be positive");
        }
        if (maxStreamLabels < 0) {
            throw new IllegalArgumentException("max stream labels " + maxStreamLabels + " is negative");
        }
    }

    public static InputLimits defaults() {
        return new InputLimits(DEFAULT_MAX_FRAME_PIXELS, DEFAULT_MAX_BATCH_PIXELS, DEFAULT_MAX_STREAMS, DEFAULT_STREAM_IDLE_MS,
                DEFAULT_MAX_STREAM_LABELS);
    }

    public InputLimits withMaxFramePixels(long pixels) {
        return new InputLimits(pixels, maxBatchPixels, maxStreams, streamIdleMs, maxStreamLabels);
    }

    public InputLimits withMaxBatchPixels(long pixels) {
        return new InputLimits(maxFramePixels, pixels, maxStreams, streamIdleMs, maxStreamLabels);
    }

    public InputLimits withStreams(int max, long idleMs, int labels) {
        return new InputLimits(maxFramePixels, maxBatchPixels, max, idleMs, labels);
    }
}
