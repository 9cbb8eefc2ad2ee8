package org.segstream.scenes.street;

import static org.segstream.scenes.street.Colours.jitter;
import static org.segstream.scenes.street.Colours.mix;
import static org.segstream.scenes.street.Colours.pick;
import static org.segstream.scenes.street.Colours.scale;

import java.util.SplittableRandom;

/**
 * Paints the static part of the street, all of it class 0 (background): sky with clouds, a hazy
 * distant skyline, building facades with windows and shop fronts, lamp posts and trees, pavements
 * with slab joints, kerbs, and the road with its lane markings and repairs. The camera does not move,
 * so this is painted once per scene; lighting and noise vary per frame later.
 */
final class Backdrop {
    private static final int BACKGROUND = 0;

    private final StreetLayout layout;
    private final SplittableRandom random;
    private final long seed;
    private final Canvas canvas;
    private final Pen pen;
    /** Large-scale blotches: weathering, uneven paint, foliage. */
    private final byte[] mottle;
    /** Blotches plus per-pixel grain: asphalt, concrete, plaster. */
    private final byte[] rough;
    private final int skyHorizon;

    private Backdrop(StreetLayout layout, long seed) {
        this.layout = layout;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        int w = layout.width;
        int h = layout.height;
        this.canvas = new Canvas(w, h);
        this.pen = new Pen(canvas);
        this.mottle = Noise.field(w, h, Noise.mix(seed, 1), Math.max(3, h / 16.0), 1.5, 3);
        byte[] grain = Noise.grain(w, h, Noise.mix(seed, 2));
        this.rough = new byte[w * h];
        for (int i = 0; i < rough.length; i++) {
            rough[i] = (byte) (0.6 * mottle[i] + 0.4 * grain[i]);
        }
        this.skyHorizon = pick(random, 0xb8d3ea, 0xd9dfe6, 0xe8b088, 0xc8ccd0, 0xc0d8e8);
    }

    /** The street without moving objects, as packed BGR. */
    static byte[] paint(StreetLayout layout, long seed) {
        var backdrop = new Backdrop(layout, seed);
        backdrop.paintAll();
        return backdrop.canvas.bgr();
    }

    private void paintAll() {
        sky();
        skyline();
        new Facades(layout, random, canvas, pen, mottle, rough, skyHorizon).paint();
        farPavement();
        furniture();
        road();
        nearPavement();
    }

    private void sky() {
        int top = switch (skyHorizon) {
            case 0xe8b088 -> 0x4a5a90; // dusk
            case 0xc8ccd0, 0xd9dfe6 -> 0x8a98a8; // overcast, haze
            default -> jitter(0x3a70b8, random, 0.1);
        };
        int cloud = pick(random, 0xf4f4f2, 0xe0e2e6, 0xc8ccd2);
        double cover = 0.1 + 0.6 * random.nextDouble();
        long cloudSeed = Noise.mix(seed, 3);
        int rows = (int) Math.ceil(layout.row(StreetLayout.BUILDING_BASE));
        double cell = Math.max(4, layout.height * 0.1);
        canvas.label(BACKGROUND);
        for (int y = 0; y < Math.min(rows, layout.height); y++) {
            int base = mix(top, skyHorizon, Math.pow((y + 0.5) / rows, 0.8));
            for (int x = 0; x < layout.width; x++) {
                double v = Noise.fbm(cloudSeed, x / (cell * 2.5), y / cell, 4);
                double c = Math.max(0, Math.min(1, (v - (0.35 - cover)) * 2.5));
                canvas.colour(c <= 0 ? base : mix(base, scale(cloud, 0.88 + 0.2 * v), c));
                canvas.set(x, y);
            }
        }
    }

    /** Distant blocks behind the facades, faded into the sky colour by the haze. */
    private void skyline() {
        double g = StreetLayout.HORIZON + 0.4 * (StreetLayout.BUILDING_BASE - StreetLayout.HORIZON);
        placeAt(g);
        double half = StreetLayout.halfSpan(g, layout.aspect()) + 5;
        int haze = mix(jitter(0x707880, random, 0.1), skyHorizon, 0.55);
        canvas.texture(mottle, 0.05);
        for (double x = -half; x < half; ) {
            double w = 10 + 25 * random.nextDouble();
            if (random.nextDouble() < 0.7) {
                canvas.paint(jitter(haze, random, 0.04), BACKGROUND);
                pen.rect(x, 0, x + w, 12 + 25 * random.nextDouble());
            }
            x += w;
        }
        canvas.texture(null, 0);
    }

    private void farPavement() {
        int paving = jitter(pick(random, 0xa8a8a4, 0x9a968e, 0xb8b0a0, 0x8e9094), random, 0.06);
        groundBand(StreetLayout.BUILDING_BASE, StreetLayout.FAR_KERB, paving, 0.1);
        joints(StreetLayout.BUILDING_BASE, StreetLayout.FAR_KERB, 1.5, scale(paving, 0.78));
        groundBand(StreetLayout.FAR_KERB, StreetLayout.FAR_KERB + 0.005, scale(paving, 1.15), 0.05);
        groundBand(StreetLayout.FAR_KERB + 0.005, StreetLayout.ROAD_TOP, scale(paving, 0.7), 0.05);
    }

    /** Lamp posts and trees on the far pavement, in front of the facades. */
    private void furniture() {
        double g = StreetLayout.STREET_FURNITURE;
        placeAt(g);
        double half = StreetLayout.halfSpan(g, layout.aspect()) + 3;
        int metal = pick(random, 0x2e3436, 0x3a4a3a, 0x505458);
        int leaves = jitter(pick(random, 0x3a6a2a, 0x4a7a30, 0x2e5a34, 0x6a7a30), random, 0.1);
        for (double x = -half + 25 * random.nextDouble(); x < half; x += 18 + 14 * random.nextDouble()) {
            canvas.paint(metal, BACKGROUND).texture(null, 0);
            pen.limb(x, 0, x, 6.4, 0.16);
            pen.limb(x, 6.3, x + 1.3, 6.6, 0.09);
            pen.rect(x + 1.0, 6.35, x + 1.6, 6.6);
            if (random.nextDouble() < 0.6) {
                double t = x + 6 + 6 * random.nextDouble();
                canvas.paint(jitter(0x5a4030, random, 0.1), BACKGROUND).texture(mottle, 0.15);
                pen.rect(t - 0.16, 0, t + 0.16, 3.0);
                canvas.paint(leaves, BACKGROUND).texture(mottle, 0.35);
                for (int k = 0; k < 4; k++) {
                    double r = 1.1 + 0.8 * random.nextDouble();
                    pen.ellipse(t + 1.6 * (random.nextDouble() - 0.5), 4.0 + 1.8 * random.nextDouble(), r * 1.1, r);
                }
                canvas.texture(null, 0);
            }
        }
    }

    private void road() {
        int asphalt = jitter(pick(random, 0x505250, 0x5c5c5a, 0x46484a, 0x62605c), random, 0.08);
        groundBand(StreetLayout.ROAD_TOP, StreetLayout.ROAD_BOTTOM, asphalt, 0.16);
        // repairs: patches of newer or older asphalt
        for (int i = 0; i < 5; i++) {
            double g = StreetLayout.ROAD_TOP + (StreetLayout.ROAD_BOTTOM - StreetLayout.ROAD_TOP) * random.nextDouble();
            double half = StreetLayout.halfSpan(g, layout.aspect());
            double x = half * (2 * random.nextDouble() - 1);
            double depth = 0.5 + 1.5 * random.nextDouble();
            double g1 = Math.min(StreetLayout.ROAD_BOTTOM, g + layout.groundRows(g, depth) / layout.height);
            canvas.paint(scale(asphalt, random.nextBoolean() ? 0.85 : 1.12), BACKGROUND).texture(rough, 0.14);
            groundQuad(x, x + 1 + 4 * random.nextDouble(), g, g1);
        }
        canvas.texture(null, 0);
        int white = jitter(0xe4e4de, random, 0.05);
        int centre = random.nextDouble() < 0.4 ? jitter(0xd8b848, random, 0.05) : white;
        for (double g : StreetLayout.EDGE_LINES) {
            line(g, white, 0.15, 0, 0);
        }
        for (double g : StreetLayout.LANE_LINES) {
            line(g, white, 0.12, 3, 6);
        }
        line(StreetLayout.CENTRE_LINE - 0.004, centre, 0.12, 0, 0);
        line(StreetLayout.CENTRE_LINE + 0.004, centre, 0.12, 0, 0);
        // a manhole cover or two
        for (int i = 0; i < 2; i++) {
            double g = StreetLayout.LANES[random.nextInt(StreetLayout.LANES.length)] + 0.02 * (random.nextDouble() - 0.5);
            double x = StreetLayout.halfSpan(g, layout.aspect()) * (2 * random.nextDouble() - 1);
            canvas.paint(scale(asphalt, 0.6), BACKGROUND).texture(mottle, 0.1);
            canvas.fillEllipse(layout.screenX(x, g), layout.row(g), 0.35 * layout.metre(g),
                    Math.max(1, layout.groundRows(g, 0.7) / 2));
        }
        canvas.texture(null, 0);
    }

    private void nearPavement() {
        int paving = jitter(pick(random, 0xa8a8a4, 0x9a968e, 0xb8b0a0, 0x8e9094, 0xa89880), random, 0.06);
        groundBand(StreetLayout.ROAD_BOTTOM, StreetLayout.NEAR_PAVEMENT, scale(paving, 1.12), 0.06);
        groundBand(StreetLayout.NEAR_PAVEMENT, 1.01, paving, 0.1);
        joints(StreetLayout.NEAR_PAVEMENT, 1.01, 1.2, scale(paving, 0.78));
        canvas.paint(scale(paving, 0.78), BACKGROUND);
        double mid = 0.5 * (StreetLayout.NEAR_PAVEMENT + 1);
        canvas.fillRect(0, layout.row(mid), layout.width, layout.row(mid) + Math.max(1, layout.height * 0.003));
    }

    /** A full-width band of ground between two ground rows. */
    private void groundBand(double g0, double g1, int colour, double texture) {
        canvas.paint(colour, BACKGROUND).texture(rough, texture);
        canvas.fillRect(0, layout.row(g0), layout.width, layout.row(g1));
        canvas.texture(null, 0);
    }

    /** Paving joints across the pavement: lines at right angles to the street, converging in perspective. */
    private void joints(double g0, double g1, double spacing, int colour) {
        canvas.paint(colour, BACKGROUND).texture(null, 0);
        double half = StreetLayout.halfSpan(g1, layout.aspect()) + spacing;
        double w = Math.max(0.5 / layout.metre(g1), 0.03);
        for (double x = -half + spacing * random.nextDouble(); x < half; x += spacing) {
            groundQuad(x - w, x + w, g0, g1);
        }
    }

    /** A painted line along the street at ground row {@code g}; dashed when {@code dash} > 0. */
    private void line(double g, int colour, double widthMetres, double dash, double gap) {
        canvas.paint(colour, BACKGROUND).texture(rough, 0.12);
        double rows = Math.max(1, layout.groundRows(g, widthMetres));
        double top = layout.row(g) - rows / 2;
        if (dash <= 0) {
            canvas.fillRect(0, top, layout.width, top + rows);
        } else {
            double half = StreetLayout.halfSpan(g, layout.aspect()) + dash + gap;
            for (double x = -half + (dash + gap) * random.nextDouble(); x < half; x += dash + gap) {
                canvas.fillRect(layout.screenX(x, g), top, layout.screenX(x + dash, g), top + rows);
            }
        }
        canvas.texture(null, 0);
    }

    /** A patch of ground from world x0 to x1 between ground rows g0 and g1, in perspective. */
    private void groundQuad(double x0, double x1, double g0, double g1) {
        double[] xs = {layout.screenX(x0, g0), layout.screenX(x1, g0), layout.screenX(x1, g1), layout.screenX(x0, g1)};
        double[] ys = {layout.row(g0), layout.row(g0), layout.row(g1), layout.row(g1)};
        canvas.fillPolygon(xs, ys, 4);
    }

    /** Sets the pen to draw in world metres standing on ground row {@code g}. */
    private void placeAt(double g) {
        pen.place(layout.screenX(0, g), layout.row(g), layout.metre(g), 1);
    }
}
