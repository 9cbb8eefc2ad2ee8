package org.segstream.contract;

import java.util.List;

/** The 21 PASCAL VOC classes and the VOC colour map used by SegmentationClass PNGs. */
public final class VocClasses {
    private VocClasses() {
    }

    public static final List<String> NAMES = List.of(
            "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
            "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor");

    /** Index 255 is VOC's "void" (object boundaries in annotations). */
    public static final int VOID = 255;

    /** RGB colour of class index {@code c} (0..255) by the VOC bit-interleaving rule. */
    public static int[] rgb(int c) {
        int r = 0, g = 0, b = 0;
        int id = c;
        for (int shift = 7; shift >= 0; shift--) {
            r |= ((id >> 0) & 1) << shift;
            g |= ((id >> 1) & 1) << shift;
            b |= ((id >> 2) & 1) << shift;
            id >>= 3;
        }
        return new int[] {r, g, b};
    }

    /** The 256-entry palette as separate R, G and B arrays (for an IndexColorModel). */
    public static byte[][] palette() {
        byte[][] rgb = new byte[3][256];
        for (int c = 0; c < 256; c++) {
            int[] colour = rgb(c);
            for (int k = 0; k < 3; k++) {
                rgb[k][c] = (byte) colour[k];
            }
        }
        return rgb;
    }
}
