package org.segstream.contract;

/** Per-pixel class indices of one frame, row-major, one byte a pixel. */
public record ClassMap(int width, int height, byte[] classes) {
    public ClassMap {
        if ((long) width * height != classes.length) {
            throw new IllegalArgumentException(
                    "class map " + width + "x" + height + " needs " + (long) width * height + " bytes, got " + classes.length);
        }
    }

    public int classAt(int x, int y) {
        return classes[y * width + x] & 0xff;
    }
}
