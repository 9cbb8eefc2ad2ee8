package org.segstream.sink;

import java.nio.ByteBuffer;
import org.segstream.contract.BadRecordException;

/**
 * The size a PNG declares in its header, read before the image is decoded: a decoder allocates what
 * the header says, so a forged 60000x60000 mask of a few bytes would otherwise take gigabytes.
 */
final class PngHeader {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngHeader() {
    }

    /** Throws {@link BadRecordException} unless {@code png} is a PNG that declares exactly {@code width} x {@code height}. */
    static void requireSize(byte[] png, int width, int height) {
        if (png == null || png.length < 24) {
            throw new BadRecordException("mask is not a PNG image (" + (png == null ? 0 : png.length) + " bytes)");
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (png[i] != SIGNATURE[i]) {
                throw new BadRecordException("mask is not a PNG image (no PNG signature)");
            }
        }
        ByteBuffer header = ByteBuffer.wrap(png, 8, 16);
        header.getInt(); // chunk length
        if (header.getInt() != 0x49484452) { // "IHDR": the first chunk of every PNG
            throw new BadRecordException("mask PNG does not start with its IHDR header");
        }
        long declaredWidth = Integer.toUnsignedLong(header.getInt());
        long declaredHeight = Integer.toUnsignedLong(header.getInt());
        if (declaredWidth != width || declaredHeight != height) {
            throw new BadRecordException("mask PNG declares " + declaredWidth + "x" + declaredHeight + " but its frame is "
                    + width + "x" + height);
        }
    }
}
