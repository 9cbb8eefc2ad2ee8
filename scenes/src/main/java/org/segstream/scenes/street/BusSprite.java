package org.segstream.scenes.street;

import static org.segstream.scenes.street.Colours.scale;

import java.util.SplittableRandom;

/** A city bus from the side: a long box with a row of windows, doors, a livery stripe and wheels. */
record BusSprite(double length, double height, int body, int stripe, int glass) implements Sprite {
    static final int CLASS = 6;
    private static final double WHEEL = 0.5;

    static BusSprite random(SplittableRandom r) {
        int body = Colours.jitter(Colours.pick(r, 0xc8201c, 0xe8c020, 0xf0f0f0, 0x1e4a9a, 0x2a8a40, 0x909498), r, 0.06);
        int stripe = Colours.jitter(Colours.pick(r, 0x202020, 0xf0f0f0, 0xe0a020, 0x1e4a9a, 0xc8201c), r, 0.06);
        int glass = Colours.jitter(Colours.pick(r, 0x1e262e, 0x2a3640, 0x34404a), r, 0.06);
        return new BusSprite(10.0 + 2.0 * r.nextDouble(), 2.9 + 0.3 * r.nextDouble(), body, stripe, glass);
    }

    @Override
    public double length() {
        return length;
    }

    @Override
    public double cycleLength() {
        return 2 * Math.PI * WHEEL;
    }

    @Override
    public void paint(Pen pen, double phase) {
        double half = length / 2;
        double h = height;
        pen.paint(body, CLASS);
        pen.poly(-half, 0.35, -half, h - 0.15, -half + 0.15, h, half - 0.3, h, half, h - 0.35, half, 0.35);
        pen.colour(scale(body, 0.55));
        pen.rect(-half, 0.28, half, 0.5);
        pen.colour(stripe);
        pen.rect(-half, 1.0, half, 1.22);
        // passenger windows: one dark band, then pillars in body colour
        double top = h - 0.42;
        pen.colour(glass);
        pen.rect(-half + 0.35, 1.45, half - 2.0, top);
        pen.colour(body);
        for (double x = -half + 0.35 + 1.35; x < half - 2.2; x += 1.35) {
            pen.rect(x - 0.07, 1.45, x + 0.07, top);
        }
        // the driver's side window reaches lower; then the front and middle doors
        pen.colour(glass);
        pen.rect(half - 1.75, 1.0, half - 0.12, top + 0.1);
        pen.colour(scale(glass, 0.8));
        pen.rect(half - 2.85, 0.45, half - 1.95, top);
        pen.rect(-0.55, 0.45, 0.45, top);
        pen.colour(scale(body, 0.6));
        pen.rect(half - 2.42, 0.45, half - 2.38, top);
        pen.rect(-0.07, 0.45, -0.03, top);
        pen.colour(0xf0a020); // destination display
        pen.rect(half - 1.6, top + 0.12, half - 0.35, h - 0.08);
        pen.colour(0xf2eed8);
        pen.rect(half - 0.12, 0.55, half, 0.8);
        pen.colour(0xb01818);
        pen.rect(-half, 0.6, -half + 0.1, 0.95);
        wheel(pen, half - 2.0 - WHEEL);
        wheel(pen, -half + 2.6);
    }

    private void wheel(Pen pen, double x) {
        pen.paint(0x101012, CLASS);
        pen.arch(x, WHEEL, 1.15 * WHEEL);
        pen.colour(0x1c1c1e);
        pen.disc(x, WHEEL, WHEEL);
        pen.colour(0x9a9ea2);
        pen.disc(x, WHEEL, 0.55 * WHEEL);
        pen.colour(0x505254);
        pen.disc(x, WHEEL, 0.2 * WHEEL);
    }
}
