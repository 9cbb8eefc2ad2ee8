package org.segstream.segmenter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.segstream.contract.BgrImage;

/**
 * The model's input for one batch: frames of one size, packed one after another as NHWC BGR bytes in
 * a direct, native-order buffer that ONNX Runtime reads without a copy. The buffer is reused from
 * batch to batch and only grows; confined to one stream thread.
 */
public final class ModelInputBuffer {
    private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

    /** Packs {@code images} (all of one size) and returns the buffer, positioned at 0 and limited to their bytes. */
    public ByteBuffer pack(List<BgrImage> images) {
        int needed = 0;
        for (BgrImage image : images) {
            needed += image.pixels().length;
        }
        if (buffer.capacity() < needed) {
            buffer = ByteBuffer.allocateDirect(needed).order(ByteOrder.nativeOrder());
        }
        buffer.clear();
        for (BgrImage image : images) {
            buffer.put(image.pixels());
        }
        return buffer.flip();
    }
}
