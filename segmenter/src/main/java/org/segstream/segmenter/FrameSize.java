package org.segstream.segmenter;

/** The size a frame has at the model's input: frames of one size share a batch. */
record FrameSize(int width, int height) {
    static FrameSize of(PendingFrame frame) {
        return new FrameSize(frame.modelWidth, frame.modelHeight);
    }

    long pixels() {
        return (long) width * height;
    }
}
