package org.segstream.contract;

/** A packed 8-bit BGR image (OpenCV/FFmpeg bgr24 order), rows without padding: 3 * width bytes a row. */
public record BgrImage(int width, int height, byte[] pixels) {
    public BgrImage {
        if ((long) width * height * 3 != pixels.length) {
            throw new IllegalArgumentException(
                    "BGR image " + width + "x" + height + " needs " + (long) width * height * 3 + " bytes, got " + pixels.length);
        }
    }
}
