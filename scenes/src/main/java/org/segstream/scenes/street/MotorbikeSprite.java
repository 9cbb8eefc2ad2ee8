package org.segstream.scenes.street;

import java.util.SplittableRandom;
import org.segstream.scenes.street.PersonSprite.Point;
import org.segstream.scenes.street.PersonSprite.Pose;

/**
 * A motorbike from the side: two spoked wheels, engine, exhaust, tank, seat, fork and headlight,
 * optionally a fairing, with a helmeted rider (labelled person) leaning forward.
 */
record MotorbikeSprite(int body, int rim, boolean fairing, PersonSprite rider, int helmet) implements Sprite {
    static final int CLASS = 14;
    private static final double WHEEL = 0.31;
    private static final Point REAR_HUB = new Point(-0.68, WHEEL);
    private static final Point FRONT_HUB = new Point(0.72, WHEEL);

    static MotorbikeSprite random(SplittableRandom r) {
        int body = Colours.jitter(Colours.pick(r, 0xc01818, 0x202020, 0x1e4a9a, 0xe8e8e8, 0xe0a010, 0x2a8a40,
                0xf06010, 0x909498), r, 0.08);
        int rim = Colours.pick(r, 0xb0b4b8, 0x303234, 0xc09030);
        int helmet = Colours.jitter(Colours.pick(r, 0xf0f0f0, 0x181818, 0xc01818, 0x1e4a9a, 0xe0c020), r, 0.06);
        PersonSprite rider = PersonSprite.random(r);
        if (rider.height() < 1.5) {
            rider = new PersonSprite(1.6 + 0.3 * r.nextDouble(), rider.build(), rider.skin(), rider.hair(), rider.top(),
                    rider.legs(), rider.shoes(), false, rider.backpack());
        }
        return new MotorbikeSprite(body, rim, r.nextDouble() < 0.45, rider, helmet);
    }

    @Override
    public double length() {
        return 2.1;
    }

    @Override
    public double cycleLength() {
        return 2 * Math.PI * WHEEL;
    }

    @Override
    public void paint(Pen pen, double phase) {
        Pose pose = null;
        if (rider != null) {
            double h = rider.height();
            Point peg = new Point(-0.08, 0.42);
            pose = Pose.seated(h, new Point(-0.24, 0.96), 0.6, new Point(0.42, 1.12), peg, peg.plus(0.02, 0));
            rider.paintFar(pen, pose);
        }
        double turn = phase * 2 * Math.PI;
        wheel(pen, REAR_HUB, turn);
        wheel(pen, FRONT_HUB, turn);

        mechanics(pen);
        bodywork(pen);
        if (pose != null) {
            rider.paintNear(pen, pose, helmet);
        }
    }

    /** Swing arm, engine with its fins, exhaust and fork. */
    private static void mechanics(Pen pen) {
        pen.paint(0x303236, CLASS);
        pen.limb(REAR_HUB.x(), REAR_HUB.y(), -0.1, 0.42, 0.07); // swing arm
        pen.poly(-0.28, 0.26, 0.3, 0.22, 0.4, 0.56, -0.2, 0.66); // engine
        pen.colour(0x58595c);
        for (int k = 0; k < 3; k++) { // cooling fins
            double y = 0.36 + 0.08 * k;
            pen.rect(-0.12, y, 0.28, y + 0.03);
        }
        pen.colour(0xa8aaac);
        pen.limb(-0.1, 0.27, -0.88, 0.42, 0.09); // exhaust
        pen.limb(FRONT_HUB.x(), FRONT_HUB.y(), 0.52, 1.02, 0.06); // fork
    }

    /** Tail, tank, mudguard, fairing, seat, handlebar and the lamps. */
    private void bodywork(Pen pen) {
        pen.colour(body);
        pen.poly(-0.98, 0.84, -0.55, 0.78, -0.48, 0.95, -0.92, 0.98); // tail
        pen.poly(-0.05, 0.76, 0.4, 0.8, 0.5, 0.98, 0.06, 1.03); // tank
        pen.poly(0.12, 0.72, 0.32, 0.7, FRONT_HUB.x() + 0.1, WHEEL + 0.36, FRONT_HUB.x() - 0.2, WHEEL + 0.33); // mudguard
        if (fairing) {
            pen.poly(0.36, 0.62, 0.66, 0.78, 0.68, 1.14, 0.46, 1.1);
        }
        pen.colour(0x18181a);
        pen.poly(-0.62, 0.86, 0.02, 0.84, 0.02, 0.94, -0.56, 0.98); // seat
        pen.limb(0.5, 1.08, 0.38, 1.13, 0.035); // handlebar
        pen.colour(0xf2eed8);
        pen.disc(0.64, 0.95, 0.075);
        pen.colour(0xb01818);
        pen.rect(-1.02, 0.86, -0.96, 0.93);
    }

    private void wheel(Pen pen, Point hub, double turn) {
        pen.paint(0x1a1a1c, CLASS);
        pen.disc(hub.x(), hub.y(), WHEEL);
        pen.colour(0x3a3a3c);
        pen.disc(hub.x(), hub.y(), 0.7 * WHEEL);
        pen.colour(rim);
        pen.ring(hub.x(), hub.y(), 0.7 * WHEEL, 0.6 * WHEEL);
        for (int k = 0; k < 3; k++) {
            double a = turn + k * 2 * Math.PI / 3;
            pen.limb(hub.x(), hub.y(), hub.x() + 0.62 * WHEEL * Math.cos(a), hub.y() + 0.62 * WHEEL * Math.sin(a), 0.035);
        }
        pen.disc(hub.x(), hub.y(), 0.15 * WHEEL);
    }
}
