package org.segstream.segmenter;

import java.nio.ByteBuffer;

/**
 * A pending-frames store entry's value: the frames-topic partition of the frame (the key is its offset). The
 * store orders by offset, which is each stream's arrival order, so nothing more is needed to keep the order of
 * the outputs; the frame itself is read again from the frames topic after a restart.
 */
final class PendingPosition {
    private static final byte FORMAT = 2;

    private PendingPosition() {
    }

    static byte[] encode(int partition) {
        return ByteBuffer.allocate(5).put(FORMAT).putInt(partition).array();
    }

    /** The partition an entry names; throws for an entry of another format (a damaged or older store). */
    static int partitionOf(byte[] entry) {
        if (entry == null || entry.length != 5 || entry[0] != FORMAT) {
            throw new IllegalStateException("pending-frames store entry of " + (entry == null ? "no" : entry.length)
                    + " bytes is not a frame position (format " + FORMAT + ")");
        }
        return ByteBuffer.wrap(entry, 1, 4).getInt();
    }
}
