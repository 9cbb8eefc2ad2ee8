package org.segstream.segmenter.model;

import java.nio.ByteBuffer;
import org.segstream.contract.ClassMap;

/**
 * What the segmenter's scheduler needs of a model: segment a batch of packed frames. {@link SegmentationModel}
 * is the real one; tests give the scheduler a model of known speed.
 */
public interface InferenceModel {
    /**
     * Class maps of {@code n} frames of {@code height} x {@code width} packed BGR in {@code nhwc}; with
     * {@code releaseMemory} the model gives back memory it no longer needs once the run ends.
     */
    ClassMap[] segment(ByteBuffer nhwc, int n, int height, int width, boolean releaseMemory) throws Exception;

    /**
     * As {@link #segment(ByteBuffer, int, int, int, boolean)}; {@code alone}: no other batch runs meanwhile, so the model
     * may spread this one over every thread it has.
     */
    default ClassMap[] segment(ByteBuffer nhwc, int n, int height, int width, boolean releaseMemory, boolean alone) throws Exception {
        return segment(nhwc, n, height, width, releaseMemory);
    }

    /**
     * Whether a batch of several frames costs less per frame than the frames one by one: true on a GPU. On the CPU a
     * batch's time grows with its frames (2 cores, batch 1 to 8: 63 to 69 CPU ms a frame), so the scheduler keeps
     * batches to one frame while live cameras wait on them.
     */
    default boolean batchingPaysOff() {
        return true;
    }
}
