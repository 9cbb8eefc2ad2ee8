package org.segstream.scenes.street;

import java.util.SplittableRandom;

/** Colour helpers over 0xRRGGBB ints. */
final class Colours {
    private Colours() {
    }

    static int rgb(int r, int g, int b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    static int red(int rgb) {
        return (rgb >> 16) & 0xff;
    }

    static int green(int rgb) {
        return (rgb >> 8) & 0xff;
    }

    static int blue(int rgb) {
        return rgb & 0xff;
    }

    /** Brightness times {@code f}. */
    static int scale(int rgb, double f) {
        return rgb((int) Math.round(red(rgb) * f), (int) Math.round(green(rgb) * f), (int) Math.round(blue(rgb) * f));
    }

    /** {@code a} at t = 0, {@code b} at t = 1. */
    static int mix(int a, int b, double t) {
        return rgb((int) Math.round(red(a) + (red(b) - red(a)) * t),
                (int) Math.round(green(a) + (green(b) - green(a)) * t),
                (int) Math.round(blue(a) + (blue(b) - blue(a)) * t));
    }

    /** A random variation: overall brightness by up to {@code amount}, each channel by half of that. */
    static int jitter(int rgb, SplittableRandom random, double amount) {
        double f = 1 + amount * (2 * random.nextDouble() - 1);
        double a = amount * 128;
        return rgb((int) Math.round(red(rgb) * f + a * (random.nextDouble() - 0.5)),
                (int) Math.round(green(rgb) * f + a * (random.nextDouble() - 0.5)),
                (int) Math.round(blue(rgb) * f + a * (random.nextDouble() - 0.5)));
    }

    static int pick(SplittableRandom random, int... palette) {
        return palette[random.nextInt(palette.length)];
    }

    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
