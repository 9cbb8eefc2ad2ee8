package org.segstream.scenes.street;

/**
 * Seeded hash noise. Everything random in the image (textures, sensor noise) comes from a hash of
 * the seed and a position, never from a shared generator, so a pixel's value does not depend on the
 * order in which things were drawn.
 */
final class Noise {
    private Noise() {
    }

    /** SplitMix64's finaliser over a combination of two values: a cheap, well-mixed 64-bit hash. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A value in [-1, 1) for an integer lattice point. */
    static double lattice(long seed, int ix, int iy) {
        return (mix(mix(seed, ix), iy) >>> 11) * 0x1.0p-52 - 1.0;
    }

    /** Smoothly interpolated value noise, one lattice cell a unit. */
    static double value(long seed, double x, double y) {
        int ix = (int) Math.floor(x);
        int iy = (int) Math.floor(y);
        double fx = x - ix;
        double fy = y - iy;
        double sx = fx * fx * (3 - 2 * fx);
        double sy = fy * fy * (3 - 2 * fy);
        double top = lerp(lattice(seed, ix, iy), lattice(seed, ix + 1, iy), sx);
        double bottom = lerp(lattice(seed, ix, iy + 1), lattice(seed, ix + 1, iy + 1), sx);
        return lerp(top, bottom, sy);
    }

    /** Fractal sum of value noise: octaves at doubling frequency and halving amplitude, about [-1, 1]. */
    static double fbm(long seed, double x, double y, int octaves) {
        double sum = 0;
        double amplitude = 1;
        double norm = 0;
        for (int o = 0; o < octaves; o++) {
            sum += amplitude * value(seed + o, x, y);
            norm += amplitude;
            amplitude *= 0.5;
            x *= 2;
            y *= 2;
        }
        return sum / norm;
    }

    /**
     * A full-frame texture field, one signed byte a pixel (-127..127): fractal noise with cells of
     * {@code cellPx} pixels ({@code stretchX} times wider than high), contrast-stretched to use the range.
     */
    static byte[] field(int width, int height, long seed, double cellPx, double stretchX, int octaves) {
        byte[] out = new byte[width * height];
        double fx = 1.0 / (cellPx * stretchX);
        double fy = 1.0 / cellPx;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = 1.8 * fbm(seed, x * fx, y * fy, octaves);
                out[y * width + x] = (byte) Math.round(127 * Math.max(-1, Math.min(1, v)));
            }
        }
        return out;
    }

    /** Per-pixel white noise, one signed byte a pixel: fine grain such as asphalt or plaster. */
    static byte[] grain(int width, int height, long seed) {
        byte[] out = new byte[width * height];
        for (int i = 0; i < out.length; i++) {
            long h = mix(seed, i);
            // the sum of two uniforms is triangular: grain without the harshness of uniform noise
            out[i] = (byte) (((h & 0xff) + ((h >>> 8) & 0xff) - 255) / 2);
        }
        return out;
    }

    static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }
}
