package org.segstream.scenes.street;

import static org.segstream.scenes.street.Colours.scale;

import java.util.SplittableRandom;

/**
 * A person seen from the side: head with hair, neck, torso, two arms and two legs, optionally a skirt
 * and a backpack. Limbs follow a {@link Pose}: a walking cycle, or a seated pose for riders of
 * bicycles and motorbikes. Proportions are fractions of the height.
 */
record PersonSprite(double height, double build, int skin, int hair, int top, int legs, int shoes,
                    boolean skirt, int backpack) implements Sprite {
    static final int CLASS = 15;
    private static final int NONE = -1;

    static PersonSprite random(SplittableRandom r) {
        boolean child = r.nextDouble() < 0.1;
        double height = child ? 1.1 + 0.25 * r.nextDouble() : 1.55 + 0.35 * r.nextDouble();
        int skin = Colours.jitter(Colours.pick(r, 0xf1c8a8, 0xe0ac84, 0xc68a5e, 0x9a6440, 0x6b4428, 0x4a2e1c), r, 0.06);
        int hair = Colours.jitter(Colours.pick(r, 0x1a1410, 0x3b2618, 0x6a4426, 0xb08850, 0xd8c090, 0x8a8a8a, 0xa04020), r, 0.1);
        int top = Colours.jitter(Colours.pick(r, 0xc0392b, 0x2e5fa8, 0x27ae60, 0xf0f0f0, 0x202020, 0xe0b030, 0x8e44ad,
                0x7f8c8d, 0xe67e22, 0x1abc9c, 0xd35d8a, 0x3c4a60, 0x8a6a4a), r, 0.12);
        int legs = Colours.jitter(Colours.pick(r, 0x2c3e60, 0x1e2a44, 0x202020, 0x5a5a5a, 0x7a6a50, 0xb0a080, 0x3a5a8a,
                0x6a2020), r, 0.1);
        int shoes = Colours.jitter(Colours.pick(r, 0x181818, 0x3a2a1a, 0xe8e8e8, 0x6a4a2a), r, 0.1);
        boolean skirt = !child && r.nextDouble() < 0.18;
        int backpack = r.nextDouble() < 0.2
                ? Colours.jitter(Colours.pick(r, 0x303030, 0x2e4a80, 0xa03030, 0x406040, 0xc08030), r, 0.1) : NONE;
        return new PersonSprite(height, 0.9 + 0.3 * r.nextDouble(), skin, hair, top, legs, shoes, skirt, backpack);
    }

    @Override
    public double length() {
        return 0.25 * height;
    }

    @Override
    public double cycleLength() {
        return 0.8 * height; // two steps
    }

    @Override
    public void paint(Pen pen, double phase) {
        Pose pose = Pose.walking(height, phase);
        paintFar(pen, pose);
        paintNear(pen, pose, NONE);
    }

    /** The arm and leg on the far side; a rider's go behind the vehicle. Drawn darker: the body shades them. */
    void paintFar(Pen pen, Pose p) {
        double h = height;
        pen.paint(scale(top, 0.78), CLASS);
        pen.limb(p.shoulder.x(), p.shoulder.y(), p.elbowFar.x(), p.elbowFar.y(), 0.05 * h * build);
        pen.limb(p.elbowFar.x(), p.elbowFar.y(), p.handFar.x(), p.handFar.y(), 0.042 * h * build);
        pen.colour(scale(skin, 0.8));
        pen.disc(p.handFar.x(), p.handFar.y(), 0.022 * h);
        leg(pen, p.hip, p.kneeFar, p.footFar, 0.78);
    }

    /** Everything else; {@code helmet} is an 0xRRGGBB colour, or -1 for bare heads. */
    void paintNear(Pen pen, Pose p, int helmet) {
        double lean = Math.atan2(p.shoulder.x() - p.hip.x(), p.shoulder.y() - p.hip.y());
        double ux = Math.sin(lean);
        double uy = Math.cos(lean);
        if (backpack != NONE) {
            backpack(pen, p, ux, uy);
        }
        leg(pen, p.hip, p.kneeNear, p.footNear, 1.0);
        pen.paint(skirt ? top : legs, CLASS);
        if (skirt) {
            double h = height;
            pen.poly(p.hip.x() - 0.065 * h, p.hip.y() + 0.03 * h, p.hip.x() + 0.07 * h, p.hip.y() + 0.03 * h,
                    p.hip.x() + 0.12 * h, p.hip.y() - 0.21 * h, p.hip.x() - 0.11 * h, p.hip.y() - 0.21 * h);
        }
        torso(pen, p, ux, uy);
        if (helmet != NONE) {
            helmetedHead(pen, p.head, helmet);
        } else {
            bareHead(pen, p.head);
        }
        nearArm(pen, p);
    }

    private void backpack(Pen pen, Pose p, double ux, double uy) {
        double h = height;
        pen.paint(backpack, CLASS);
        double bx = p.hip.x() + 0.55 * (p.shoulder.x() - p.hip.x()) - 0.075 * h * uy;
        double by = p.hip.y() + 0.6 * (p.shoulder.y() - p.hip.y()) + 0.075 * h * ux;
        pen.ellipse(bx, by, 0.06 * h, 0.1 * h);
    }

    /** A quad from the hips to the shoulders, following the lean ({@code ux}, {@code uy}), a rounded shoulder and the neck. */
    private void torso(Pen pen, Pose p, double ux, double uy) {
        double h = height;
        double hw = 0.06 * h * build;
        double sw = 0.066 * h * build;
        pen.paint(top, CLASS);
        pen.poly(p.hip.x() - hw * uy, p.hip.y() + hw * ux - 0.02 * h, p.hip.x() + hw * uy, p.hip.y() - hw * ux - 0.02 * h,
                p.shoulder.x() + sw * uy, p.shoulder.y() - sw * ux, p.shoulder.x() - sw * uy, p.shoulder.y() + sw * ux);
        pen.disc(p.shoulder.x(), p.shoulder.y() - 0.01 * h, 0.055 * h * build);
        pen.colour(skin);
        pen.limb(p.shoulder.x(), p.shoulder.y(), p.head.x(), p.head.y() - 0.04 * h, 0.045 * h);
    }

    private void helmetedHead(Pen pen, Point head, int helmet) {
        double h = height;
        double hx = head.x();
        double hy = head.y();
        pen.colour(skin);
        pen.disc(hx + 0.01 * h, hy - 0.01 * h, 0.058 * h);
        pen.colour(helmet);
        pen.disc(hx - 0.004 * h, hy + 0.006 * h, 0.074 * h);
        pen.colour(0x202428); // visor
        pen.poly(hx + 0.02 * h, hy + 0.015 * h, hx + 0.078 * h, hy + 0.01 * h, hx + 0.07 * h, hy - 0.035 * h,
                hx + 0.02 * h, hy - 0.03 * h);
    }

    private void bareHead(Pen pen, Point head) {
        double h = height;
        double hx = head.x();
        double hy = head.y();
        pen.colour(hair);
        pen.disc(hx - 0.01 * h, hy + 0.008 * h, 0.066 * h);
        pen.colour(skin);
        pen.disc(hx + 0.01 * h, hy - 0.008 * h, 0.058 * h);
        pen.poly(hx + 0.06 * h, hy + 0.0, hx + 0.082 * h, hy - 0.022 * h, hx + 0.058 * h, hy - 0.026 * h); // nose
    }

    private void nearArm(Pen pen, Pose p) {
        double h = height;
        pen.colour(top);
        pen.limb(p.shoulder.x(), p.shoulder.y(), p.elbowNear.x(), p.elbowNear.y(), 0.05 * h * build);
        pen.limb(p.elbowNear.x(), p.elbowNear.y(), p.handNear.x(), p.handNear.y(), 0.042 * h * build);
        pen.colour(skin);
        pen.disc(p.handNear.x(), p.handNear.y(), 0.022 * h);
    }

    private void leg(Pen pen, Point hip, Point knee, Point ankle, double shade) {
        double h = height;
        pen.paint(scale(legs, shade), CLASS);
        pen.limb(hip.x(), hip.y(), knee.x(), knee.y(), 0.085 * h * build);
        pen.limb(knee.x(), knee.y(), ankle.x(), ankle.y(), 0.062 * h * build);
        pen.colour(scale(shoes, shade));
        pen.limb(ankle.x() - 0.015 * h, ankle.y() - 0.012 * h, ankle.x() + 0.065 * h, ankle.y() - 0.014 * h, 0.035 * h);
    }

    record Point(double x, double y) {
        Point plus(double dx, double dy) {
            return new Point(x + dx, y + dy);
        }
    }

    /** Joint positions in sprite metres. */
    record Pose(Point hip, Point shoulder, Point head, Point kneeNear, Point footNear, Point kneeFar, Point footFar,
                Point elbowNear, Point handNear, Point elbowFar, Point handFar) {

        static double thigh(double h) {
            return 0.245 * h;
        }

        /** Knee to ankle; the ankle sits 0.03 h above the sole. */
        static double shin(double h) {
            return 0.245 * h;
        }

        static double legLength(double h) {
            return thigh(h) + shin(h) + 0.03 * h;
        }

        /** A walking cycle: legs swing opposite each other, the swinging knee bends, arms swing against the legs. */
        static Pose walking(double h, double phase) {
            double a = 2 * Math.PI * (phase - Math.floor(phase));
            double[] near = legAt(h, a);
            double[] far = legAt(h, a + Math.PI);
            // the lower foot carries the weight: it touches the ground, which makes the body bob
            double hipY = -Math.min(near[3], far[3]) + 0.03 * h;
            Point hip = new Point(0, hipY);
            Point shoulder = hip.plus(0.03 * h, 0.29 * h);
            Point head = shoulder.plus(0.02 * h, 0.12 * h);
            Point[] armNear = armAt(h, shoulder, -0.35 * Math.sin(a));
            Point[] armFar = armAt(h, shoulder, 0.35 * Math.sin(a));
            return new Pose(hip, shoulder, head,
                    hip.plus(near[0], near[1]), hip.plus(near[2], near[3]),
                    hip.plus(far[0], far[1]), hip.plus(far[2], far[3]),
                    armNear[0], armNear[1], armFar[0], armFar[1]);
        }

        /** Knee and ankle relative to the hip: {kneeX, kneeY, ankleX, ankleY}. */
        private static double[] legAt(double h, double a) {
            double thighAngle = 0.42 * Math.sin(a); // from the vertical, forward positive
            double bend = 0.08 + 0.7 * Math.max(0, Math.cos(a)); // the knee bends while the leg swings forward
            double shinAngle = thighAngle - bend;
            double kx = thigh(h) * Math.sin(thighAngle);
            double ky = -thigh(h) * Math.cos(thighAngle);
            return new double[] {kx, ky, kx + shin(h) * Math.sin(shinAngle), ky - shin(h) * Math.cos(shinAngle)};
        }

        private static Point[] armAt(double h, Point shoulder, double angle) {
            Point elbow = shoulder.plus(0.16 * h * Math.sin(angle), -0.16 * h * Math.cos(angle));
            double fore = angle + 0.35;
            Point hand = elbow.plus(0.15 * h * Math.sin(fore), -0.15 * h * Math.cos(fore));
            return new Point[] {elbow, hand};
        }

        /** Sitting on a saddle: torso leaning forward by {@code lean} radians, hands on the grip, feet on the pedals. */
        static Pose seated(double h, Point hip, double lean, Point grip, Point pedalNear, Point pedalFar) {
            Point shoulder = hip.plus(0.29 * h * Math.sin(lean), 0.29 * h * Math.cos(lean));
            Point head = shoulder.plus(0.12 * h * Math.sin(lean * 0.5), 0.12 * h * Math.cos(lean * 0.5));
            Point elbow = joint(shoulder, grip, 0.16 * h, 0.15 * h, -1);
            double shin = shin(h) + 0.03 * h;
            return new Pose(hip, shoulder, head,
                    joint(hip, pedalNear, thigh(h), shin, 1), pedalNear,
                    joint(hip, pedalFar, thigh(h), shin, 1), pedalFar,
                    elbow, grip, elbow, grip);
        }

        /**
         * The middle joint of a two-segment limb from {@code a} to {@code b} (lengths l1, l2), bent to the
         * left of a-to-b for side +1 (a knee forward when the leg points down), to the right for -1.
         */
        static Point joint(Point a, Point b, double l1, double l2, int side) {
            double dx = b.x() - a.x();
            double dy = b.y() - a.y();
            double d = Math.hypot(dx, dy);
            if (d < 1e-9) {
                return a.plus(0, -l1);
            }
            double ux = dx / d;
            double uy = dy / d;
            double reach = Math.max(Math.abs(l1 - l2) + 1e-6, Math.min(d, l1 + l2 - 1e-6));
            double along = (l1 * l1 - l2 * l2 + reach * reach) / (2 * reach);
            double off = side * Math.sqrt(Math.max(0, l1 * l1 - along * along));
            return a.plus(along * ux - off * uy, along * uy + off * ux);
        }
    }
}
