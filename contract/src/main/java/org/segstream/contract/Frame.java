package org.segstream.contract;

import java.util.Arrays;

/**
 * A frame on the frames topic: its identity (headers) and its image (value), a JPEG as
 * {@code identity.encoding()} says. Checking the JPEG itself is the reader's business ({@link JpegStructure}).
 */
public record Frame(FrameIdentity identity, byte[] image) implements FramesTopicRecord {

    public Frame {
        if (identity == null || image == null) {
            throw new IllegalArgumentException("a frame needs its identity and its image");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Frame that && identity.equals(that.identity) && Arrays.equals(image, that.image);
    }

    @Override
    public int hashCode() {
        return 31 * identity.hashCode() + Arrays.hashCode(image);
    }

    @Override
    public String toString() {
        return "Frame[" + identity + ", " + image.length + " bytes]";
    }
}
