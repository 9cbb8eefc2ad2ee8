package org.segstream.contract;

import java.util.Random;

/** Frames that compress like camera frames (smooth sky, hard-edged objects, sensor noise), and how far two images are apart. */
final class JpegFrames {
    private JpegFrames() {
    }

    /** A street-like frame: a sky gradient, a road, coloured boxes with hard edges, noise. */
    static BgrImage street(int width, int height) {
        byte[] px = new byte[width * height * 3];
        var noise = new Random(width * 31L + height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int b;
                int g;
                int r;
                if (y < height / 2) { // sky
                    b = 230 - 60 * y / height;
                    g = 180 - 40 * y / height;
                    r = 120 + 40 * x / width;
                } else { // road
                    b = g = r = 90 + 30 * x / width;
                }
                int box = (x / 90 + y / 70) % 4;
                if ((x / 45) % 3 == 1 && y > height / 3) { // cars and buildings, as wide as a camera shows them
                    b = box == 0 ? 200 : 40;
                    g = box == 1 ? 200 : 60;
                    r = box == 2 ? 220 : 30;
                }
                int n = noise.nextInt(13) - 6;
                int i = 3 * (y * width + x);
                px[i] = clamp(b + n);
                px[i + 1] = clamp(g + n);
                px[i + 2] = clamp(r + n);
            }
        }
        return new BgrImage(width, height, px);
    }

    static double meanAbsoluteDifference(BgrImage a, BgrImage b) {
        long sum = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            sum += Math.abs((a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff));
        }
        return sum / (double) a.pixels().length;
    }

    /** Peak signal-to-noise ratio in dB (higher: closer). */
    static double psnr(BgrImage a, BgrImage b) {
        double squared = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            int d = (a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff);
            squared += d * d;
        }
        return 10 * Math.log10(255.0 * 255.0 / Math.max(1e-9, squared / a.pixels().length));
    }

    private static byte clamp(int v) {
        return (byte) Math.max(0, Math.min(255, v));
    }
}
