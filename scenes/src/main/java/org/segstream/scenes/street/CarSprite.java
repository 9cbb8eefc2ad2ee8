package org.segstream.scenes.street;

import static org.segstream.scenes.street.Colours.scale;

import java.util.SplittableRandom;

/** A car from the side: body with bonnet and boot, a glazed cabin (saloon, hatchback or van), two wheels, lights. */
record CarSprite(Style style, double length, double height, double wheel, int body, int glass, int rim)
        implements Sprite {
    static final int CLASS = 7;

    enum Style { SALOON, HATCHBACK, VAN }

    static CarSprite random(SplittableRandom r) {
        Style style = Style.values()[r.nextInt(Style.values().length)];
        double length = switch (style) {
            case SALOON -> 4.3 + 0.6 * r.nextDouble();
            case HATCHBACK -> 3.6 + 0.6 * r.nextDouble();
            case VAN -> 4.5 + 0.8 * r.nextDouble();
        };
        double height = style == Style.VAN ? 1.85 + 0.25 * r.nextDouble() : 1.38 + 0.18 * r.nextDouble();
        int body = Colours.jitter(Colours.pick(r, 0xe8e8e8, 0x1c1c1c, 0xa8acb0, 0x5c6066, 0xa01818, 0x1d3c78, 0x2c6e3a,
                0xd8c8a0, 0xe0a020, 0x6a2a4a, 0x3a8ac0, 0xf06020, 0xf0f0e8), r, 0.08);
        int glass = Colours.jitter(Colours.pick(r, 0x28323c, 0x3a4856, 0x202830, 0x4a5a6a), r, 0.08);
        int rim = Colours.pick(r, 0xb8bcc0, 0x8a8e92, 0x303234, 0xd0d0d0);
        return new CarSprite(style, length, height, 0.3 + 0.05 * r.nextDouble(), body, glass, rim);
    }

    @Override
    public double length() {
        return length;
    }

    @Override
    public double cycleLength() {
        return 2 * Math.PI * wheel;
    }

    /** The cabin, a trapezoid over the belt line: bottom from {@code xb0} to {@code xb1}, roof from {@code xt0} to {@code xt1}. */
    private record Cabin(double xb0, double xt0, double xt1, double xb1) {
    }

    @Override
    public void paint(Pen pen, double phase) {
        double half = length / 2;
        double r = wheel;
        double sill = 0.7 * r;
        double belt = style == Style.VAN ? 0.55 * height : 0.64 * height;
        double axle = half - (style == Style.HATCHBACK ? 0.65 : 0.8);

        pen.paint(body, CLASS);
        // lower body: flat boot at the back, a sloping bonnet and rounded nose at the front
        pen.poly(-half + 0.06, sill, -half, 0.55 * belt, -half + 0.04, belt, half - 0.95, belt,
                half - 0.12, 0.84 * belt, half, 0.55 * belt, half - 0.04, sill);
        Cabin cabin = cabin(half);
        pen.poly(cabin.xb0(), belt, cabin.xt0(), height, cabin.xt1(), height, cabin.xb1(), belt);
        double pillar = windows(pen, cabin, half, belt);
        details(pen, cabin, half, sill, belt, pillar);
        wheel(pen, axle, r);
        wheel(pen, -axle, r);
    }

    private Cabin cabin(double half) {
        return switch (style) {
            case SALOON -> new Cabin(-half + 0.45, -half + 1.05, half - 1.7, half - 1.0);
            case HATCHBACK -> new Cabin(-half + 0.05, -half + 0.3, half - 1.55, half - 0.95);
            default -> new Cabin(-half + 0.03, -half + 0.08, half - 1.25, half - 0.45);
        };
    }

    /** Side windows: the cabin inset by a frame of body colour, split by the B pillar (whose x it returns). */
    private double windows(Pen pen, Cabin c, double half, double belt) {
        double yb = belt + 0.05;
        double yt = height - 0.07;
        double f0 = (yb - belt) / (height - belt);
        double f1 = (yt - belt) / (height - belt);
        pen.colour(glass);
        pen.poly(c.xb0() + (c.xt0() - c.xb0()) * f0 + 0.1, yb, c.xb0() + (c.xt0() - c.xb0()) * f1 + 0.1, yt,
                c.xb1() + (c.xt1() - c.xb1()) * f1 - 0.08, yt, c.xb1() + (c.xt1() - c.xb1()) * f0 - 0.08, yb);
        double pillar = 0.5 * (c.xt0() + c.xt1()) + (style == Style.VAN ? 0.3 : 0.1);
        pen.colour(body);
        pen.rect(pillar - 0.06, belt, pillar + 0.06, height);
        if (style == Style.VAN) {
            pen.rect(-half + 1.2, belt, -half + 1.32, height);
        }
        return pillar;
    }

    /** Door seams and handles, bumpers, the mirror, head and tail lights. */
    private void details(Pen pen, Cabin c, double half, double sill, double belt, double pillar) {
        int seam = scale(body, 0.7);
        pen.colour(seam);
        pen.rect(pillar - 0.015, sill + 0.1, pillar + 0.015, belt);
        pen.rect(c.xb1() + 0.02, sill + 0.15, c.xb1() + 0.05, belt);
        pen.rect(pillar - 0.32, belt - 0.12, pillar - 0.16, belt - 0.08);
        pen.rect(c.xb1() - 0.3, belt - 0.12, c.xb1() - 0.14, belt - 0.08);
        pen.colour(0x2a2a2c);
        pen.rect(-half + 0.02, sill, -half + 0.45, sill + 0.14);
        pen.rect(half - 0.4, sill, half - 0.02, sill + 0.14);
        pen.poly(c.xb1() - 0.05, belt, c.xb1() + 0.15, belt + 0.12, c.xb1() + 0.2, belt + 0.02); // mirror
        pen.colour(0xf2eed8);
        pen.rect(half - 0.22, 0.62 * belt, half - 0.03, 0.8 * belt);
        pen.colour(0xb01818);
        pen.rect(-half + 0.01, 0.65 * belt, -half + 0.16, 0.86 * belt);
    }

    private void wheel(Pen pen, double x, double r) {
        pen.paint(0x141416, CLASS);
        pen.arch(x, r, 1.12 * r);
        pen.colour(0x1c1c1e);
        pen.disc(x, r, r);
        pen.colour(rim);
        pen.disc(x, r, 0.62 * r);
        pen.colour(scale(rim, 0.6));
        pen.disc(x, r, 0.18 * r);
    }
}
