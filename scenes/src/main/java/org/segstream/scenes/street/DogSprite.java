package org.segstream.scenes.street;

import static org.segstream.scenes.street.Colours.scale;

import java.util.SplittableRandom;

/** A dog from the side: body, neck, head with snout and ear, four trotting legs and a tail. */
record DogSprite(double length, double legLength, int fur, int patch, boolean pointedEars, boolean tailUp)
        implements Sprite {
    static final int CLASS = 12;
    private static final int NONE = -1;

    static DogSprite random(SplittableRandom r) {
        double size = r.nextDouble();
        double length = 0.45 + 0.5 * size;
        double legs = length * (0.38 + 0.17 * r.nextDouble());
        int fur = Colours.jitter(Colours.pick(r, 0x7a4a22, 0x2a2420, 0xe8e0d0, 0xc89a50, 0x8a8580, 0xa0602a, 0x5a3a20),
                r, 0.1);
        int patch = r.nextDouble() < 0.35 ? Colours.jitter(Colours.pick(r, 0xf0ece4, 0x201a18, 0x9a6a3a), r, 0.08) : NONE;
        return new DogSprite(length, legs, fur, patch, r.nextBoolean(), r.nextDouble() < 0.7);
    }

    @Override
    public double length() {
        return 1.45 * length;
    }

    @Override
    public double cycleLength() {
        return 1.3 * length + 1.5 * legLength;
    }

    @Override
    public void paint(Pen pen, double phase) {
        double l = length;
        double a = 2 * Math.PI * (phase - Math.floor(phase));
        double ry = 0.22 * l;
        double cy = legLength + 0.75 * ry;
        double hipY = cy - 0.3 * ry;
        double frontX = 0.32 * l;
        double backX = -0.32 * l;
        int far = scale(fur, 0.72);

        // a trot: diagonal legs move together
        pen.paint(far, CLASS);
        leg(pen, frontX - 0.03 * l, hipY, a + Math.PI);
        leg(pen, backX + 0.03 * l, hipY, a);
        pen.colour(fur);
        double wag = tailUp ? 0.9 + 0.35 * Math.sin(2 * a) : -0.7 + 0.15 * Math.sin(2 * a);
        double tx = -0.5 * l;
        double ty = cy + 0.35 * ry;
        pen.limb(tx, ty, tx - 0.32 * l * Math.cos(wag), ty + 0.32 * l * Math.sin(wag), 0.07 * l);
        pen.ellipse(0, cy, 0.5 * l, ry);
        if (patch != NONE) {
            pen.colour(patch);
            pen.ellipse(-0.12 * l, cy + 0.25 * ry, 0.2 * l, 0.6 * ry);
        }
        head(pen, cy, ry);
        pen.colour(fur);
        leg(pen, frontX, hipY, a);
        leg(pen, backX, hipY, a + Math.PI);
    }

    /** The neck from the body (centre height {@code cy}, half height {@code ry}), the head, snout, ear, nose and eye. */
    private void head(Pen pen, double cy, double ry) {
        double l = length;
        pen.colour(fur);
        double hx = 0.55 * l;
        double hy = cy + ry + 0.18 * l;
        pen.limb(0.35 * l, cy + 0.2 * ry, hx - 0.05 * l, hy - 0.05 * l, 0.24 * l); // neck
        pen.disc(hx, hy, 0.15 * l);
        pen.ellipse(hx + 0.17 * l, hy - 0.05 * l, 0.13 * l, 0.075 * l); // snout
        pen.colour(scale(fur, 0.6));
        if (pointedEars) {
            pen.poly(hx - 0.1 * l, hy + 0.08 * l, hx - 0.02 * l, hy + 0.26 * l, hx + 0.04 * l, hy + 0.1 * l);
        } else {
            pen.ellipse(hx - 0.07 * l, hy - 0.02 * l, 0.055 * l, 0.13 * l);
        }
        pen.colour(0x141414);
        pen.disc(hx + 0.29 * l, hy - 0.03 * l, 0.03 * l); // nose
        pen.disc(hx + 0.06 * l, hy + 0.04 * l, 0.022 * l); // eye
    }

    /** One straight leg from the body down to the paw, swinging by phase angle {@code a}; the swinging paw lifts. */
    private void leg(Pen pen, double x, double top, double a) {
        double swing = 0.38 * Math.sin(a);
        double lift = 0.15 * legLength * Math.max(0, Math.cos(a));
        double reach = top - lift - 0.02 * length;
        double px = x + reach * Math.tan(swing) * 0.6;
        pen.limb(x, top, px, top - reach, 0.13 * length);
        pen.ellipse(px + 0.03 * length, top - reach + 0.01 * length, 0.06 * length, 0.025 * length);
    }
}
