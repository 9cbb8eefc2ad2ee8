package org.segstream.scenes;

import org.segstream.contract.BgrImage;

/**
 * A synthetic frame whose content identifies it: a moving gradient and box, and the frame index
 * written as 16 black-or-white 8x8 blocks along the top-left edge (survives JPEG), so tests can tell
 * whether frames were mixed up, dropped or reordered.
 */
public final class TestPattern {
    private static final int BITS = 16;
    private static final int BLOCK = 8;

    private TestPattern() {
    }

    public static BgrImage frame(int index, int width, int height) {
        byte[] px = new byte[width * height * 3];
        int boxX = (index * 7) % Math.max(1, width);
        int boxY = height / 3;
        int box = Math.max(4, Math.min(width, height) / 5);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = 3 * (y * width + x);
                boolean inBox = x >= boxX && x < boxX + box && y >= boxY && y < boxY + box;
                px[i] = (byte) (inBox ? 40 : (x + index * 3) & 0xff);
                px[i + 1] = (byte) (inBox ? 200 : (y * 2) & 0xff);
                px[i + 2] = (byte) (inBox ? 240 : 128);
            }
        }
        if (canCarryIndex(width, height)) {
            for (int bit = 0; bit < BITS; bit++) {
                byte v = (byte) (((index >> bit) & 1) == 1 ? 255 : 0);
                for (int y = 0; y < BLOCK; y++) {
                    for (int x = bit * BLOCK; x < (bit + 1) * BLOCK; x++) {
                        int i = 3 * (y * width + x);
                        px[i] = v;
                        px[i + 1] = v;
                        px[i + 2] = v;
                    }
                }
            }
        }
        return new BgrImage(width, height, px);
    }

    public static boolean canCarryIndex(int width, int height) {
        return width >= BITS * BLOCK && height >= BLOCK;
    }

    /** Reads back the index written by {@link #frame}; tolerant of lossy compression. */
    public static int readIndex(BgrImage image) {
        if (!canCarryIndex(image.width(), image.height())) {
            throw new IllegalArgumentException("a " + image.width() + "x" + image.height() + " frame carries no index");
        }
        int index = 0;
        for (int bit = 0; bit < BITS; bit++) {
            int i = 3 * ((BLOCK / 2) * image.width() + bit * BLOCK + BLOCK / 2);
            int luma = ((image.pixels()[i] & 0xff) + (image.pixels()[i + 1] & 0xff) + (image.pixels()[i + 2] & 0xff)) / 3;
            if (luma > 127) {
                index |= 1 << bit;
            }
        }
        return index;
    }
}
