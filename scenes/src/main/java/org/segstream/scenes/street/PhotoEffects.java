package org.segstream.scenes.street;

import java.util.SplittableRandom;

/**
 * What a camera and a codec do to the picture, applied to the colours only (labels stay as drawn):
 * a global brightness and colour-temperature drift, a cloud shadow sweeping over the ground, sensor
 * noise, and now and then 8x8 block quantisation of a region, like a starved encoder.
 *
 * <p>Everything is a function of the seed and the frame index (noise is hashed per frame), so frame
 * i looks the same whatever was rendered before it.
 */
final class PhotoEffects {
    private static final double ARTEFACT_WINDOW_SECONDS = 1.5;

    private final long seed;
    private final StreetLayout layout;
    private final double fps;

    private final double brightness;
    private final double drift;
    private final double driftPeriod;
    private final double driftPhase;
    private final double warmth;
    private final double warmthDrift;
    private final double warmthPeriod;
    private final double cloudShadow;
    private final double cloudWidth;
    private final double cloudSpeed;
    private final double cloudStart;
    private final int noiseScale;
    private final double artefactChance;

    private final int[][] lut = new int[3][256];
    private final int[] columnShade;

    PhotoEffects(long seed, StreetLayout layout, double fps) {
        this.seed = seed;
        this.layout = layout;
        this.fps = fps;
        var r = new SplittableRandom(seed);
        brightness = 0.85 + 0.27 * r.nextDouble();
        drift = 0.05 + 0.13 * r.nextDouble();
        driftPeriod = 8 + 22 * r.nextDouble();
        driftPhase = 2 * Math.PI * r.nextDouble();
        warmth = -0.06 + 0.14 * r.nextDouble();
        warmthDrift = 0.02 + 0.04 * r.nextDouble();
        warmthPeriod = 10 + 30 * r.nextDouble();
        cloudShadow = r.nextDouble() < 0.4 ? 0 : 0.15 + 0.2 * r.nextDouble();
        cloudWidth = 0.2 + 0.4 * r.nextDouble();
        cloudSpeed = (r.nextBoolean() ? 1 : -1) * (0.05 + 0.15 * r.nextDouble());
        cloudStart = r.nextDouble();
        double sigma = 1 + 4 * r.nextDouble(); // grey levels
        noiseScale = (int) Math.round(sigma / 104.5 * 256); // 104.5: the deviation of a sum of two bytes
        artefactChance = r.nextDouble() < 0.3 ? 0 : 0.2 + 0.3 * r.nextDouble();
        columnShade = new int[layout.width];
    }

    void apply(byte[] bgr, int frame) {
        double t = frame / fps;
        prepareLighting(t);
        int w = layout.width;
        int h = layout.height;
        int groundRow = (int) Math.ceil(layout.row(StreetLayout.BUILDING_BASE));
        long state = Noise.mix(seed, frame) | 1;
        int[] lb = lut[0];
        int[] lg = lut[1];
        int[] lr = lut[2];
        for (int y = 0; y < h; y++) {
            boolean shaded = y >= groundRow && cloudShadow > 0;
            int i = 3 * y * w;
            for (int x = 0; x < w; x++, i += 3) {
                // xorshift64: a fast deterministic stream; two bytes make a triangular luma noise,
                // two more a little independent noise per channel
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                int luma = ((int) (state & 0xff) + (int) ((state >>> 8) & 0xff) - 255) * noiseScale >> 8;
                int chroma = (int) ((state >>> 16) & 0x0f) - 8;
                int s = shaded ? columnShade[x] : 256;
                int b = (lb[bgr[i] & 0xff] * s >> 8) + luma + (chroma * noiseScale >> 8);
                int g = (lg[bgr[i + 1] & 0xff] * s >> 8) + luma;
                int rr = (lr[bgr[i + 2] & 0xff] * s >> 8) + luma - (chroma * noiseScale >> 8);
                bgr[i] = (byte) (b < 0 ? 0 : Math.min(b, 255));
                bgr[i + 1] = (byte) (g < 0 ? 0 : Math.min(g, 255));
                bgr[i + 2] = (byte) (rr < 0 ? 0 : Math.min(rr, 255));
            }
        }
        blockArtefacts(bgr, t);
    }

    /** Per-channel gain tables for time t, and the cloud shadow's profile across the columns. */
    private void prepareLighting(double t) {
        double gain = brightness * (1 + drift * Math.sin(2 * Math.PI * t / driftPeriod + driftPhase)
                + 0.3 * drift * Math.sin(2 * Math.PI * t / (0.37 * driftPeriod)));
        double k = warmth + warmthDrift * Math.sin(2 * Math.PI * t / warmthPeriod);
        double[] channel = {gain * (1 - k), gain, gain * (1 + k)}; // B, G, R: warmer is redder and less blue
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (int) Math.min(255, Math.round(v * channel[c]));
            }
        }
        if (cloudShadow > 0) {
            double centre = (cloudStart + cloudSpeed * t) % 1.6;
            if (centre < 0) {
                centre += 1.6;
            }
            centre -= 0.3; // travels from beyond one edge to beyond the other
            for (int x = 0; x < layout.width; x++) {
                double d = ((x + 0.5) / layout.width - centre) / cloudWidth;
                double shade = cloudShadow * Math.exp(-d * d * 2);
                columnShade[x] = (int) Math.round(256 * (1 - shade));
            }
        }
    }

    /** In some time windows, one rectangle of 8x8 blocks loses detail: each block keeps its mean and coarse steps. */
    private void blockArtefacts(byte[] bgr, double t) {
        long window = (long) Math.floor(t / ARTEFACT_WINDOW_SECONDS);
        var r = new SplittableRandom(Noise.mix(seed ^ 0x5EEDL, window));
        if (artefactChance == 0 || r.nextDouble() >= artefactChance) {
            return;
        }
        int bw = (layout.width + 7) / 8;
        int bh = (layout.height + 7) / 8;
        int rw = 1 + r.nextInt(Math.max(1, bw / 2));
        int rh = 1 + r.nextInt(Math.max(1, bh / 2));
        int bx0 = r.nextInt(Math.max(1, bw - rw + 1));
        int by0 = r.nextInt(Math.max(1, bh - rh + 1));
        int step = new int[] {12, 24, 48, 255}[r.nextInt(4)];
        for (int by = by0; by < by0 + rh; by++) {
            for (int bx = bx0; bx < bx0 + rw; bx++) {
                quantiseBlock(bgr, bx * 8, by * 8, step);
            }
        }
    }

    private void quantiseBlock(byte[] bgr, int x0, int y0, int step) {
        int w = layout.width;
        int x1 = Math.min(w, x0 + 8);
        int y1 = Math.min(layout.height, y0 + 8);
        int n = (x1 - x0) * (y1 - y0);
        for (int c = 0; c < 3; c++) {
            int sum = 0;
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    sum += bgr[3 * (y * w + x) + c] & 0xff;
                }
            }
            int mean = sum / n;
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    int i = 3 * (y * w + x) + c;
                    int d = (bgr[i] & 0xff) - mean;
                    int q = Math.round((float) d / step) * step;
                    bgr[i] = (byte) Math.max(0, Math.min(255, mean + q));
                }
            }
        }
    }
}
