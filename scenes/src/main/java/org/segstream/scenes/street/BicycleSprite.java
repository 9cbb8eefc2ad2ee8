package org.segstream.scenes.street;

import java.util.SplittableRandom;
import org.segstream.scenes.street.PersonSprite.Point;
import org.segstream.scenes.street.PersonSprite.Pose;

/**
 * A bicycle from the side: two tyre rings with turning spokes, a diamond frame, saddle, handlebar and
 * a turning crank, with a rider (labelled person, as in VOC) pedalling. The frame is sized to the rider.
 */
record BicycleSprite(int frame, PersonSprite rider) implements Sprite {
    static final int CLASS = 2;
    private static final double WHEEL = 0.34;
    private static final Point BOTTOM_BRACKET = new Point(0.0, 0.29);
    private static final Point REAR_HUB = new Point(-0.43, WHEEL);
    private static final Point FRONT_HUB = new Point(0.6, WHEEL);
    private static final double CRANK = 0.17;

    static BicycleSprite random(SplittableRandom r) {
        int frame = Colours.jitter(Colours.pick(r, 0xc0392b, 0x2e5fa8, 0x202020, 0xe8e8e8, 0x2e8b57, 0xe0b020,
                0xa0a4a8, 0xd87020, 0x8e44ad), r, 0.08);
        return new BicycleSprite(frame, PersonSprite.random(r));
    }

    @Override
    public double length() {
        return 1.8;
    }

    @Override
    public double cycleLength() {
        return 4.2; // metres a pedal turn
    }

    @Override
    public void paint(Pen pen, double phase) {
        double legs = rider != null ? Pose.legLength(rider.height()) : 0.9;
        // the saddle sits so that the leg is nearly straight at the bottom of the pedal stroke
        double hipY = BOTTOM_BRACKET.y() - CRANK + 0.93 * legs;
        Point hip = new Point(-0.27 * (hipY - BOTTOM_BRACKET.y()), hipY);
        double seatY = Math.max(0.6, hipY - 0.18);
        Point seat = new Point(-0.27 * (seatY - BOTTOM_BRACKET.y()), seatY);
        Point headTop = new Point(0.5, Math.max(0.62, seatY - 0.02));
        Point headBottom = new Point(0.53, 0.56);
        Point grip = new Point(0.45 + 0.1 * (hipY - 0.9), hipY + 0.03);

        double crank = -2 * Math.PI * (phase - Math.floor(phase)); // clockwise when facing right: forward at the top
        Point pedalNear = BOTTOM_BRACKET.plus(CRANK * Math.cos(crank), CRANK * Math.sin(crank));
        Point pedalFar = BOTTOM_BRACKET.plus(-CRANK * Math.cos(crank), -CRANK * Math.sin(crank));

        Pose pose = rider == null ? null : Pose.seated(rider.height(), hip, 0.5, grip, pedalNear, pedalFar);
        if (pose != null) {
            rider.paintFar(pen, pose);
        }
        double turn = phase * cycleLength() / WHEEL; // wheel angle: the spokes turn as it rolls
        wheel(pen, REAR_HUB, turn);
        wheel(pen, FRONT_HUB, turn);

        paintFrame(pen, new Point[] {seat, headTop, headBottom, grip}, hip, pedalNear);
        if (pose != null) {
            rider.paintNear(pen, pose, -1);
        }
    }

    /** The frame, the seat post, the saddle under {@code hip}, the near crank and its pedal, in the frame's colour. */
    private void paintFrame(Pen pen, Point[] joints, Point hip, Point pedalNear) {
        Point seat = joints[0];
        Point headTop = joints[1];
        Point headBottom = joints[2];
        Point grip = joints[3];
        double tube = 0.05;
        pen.paint(frame, CLASS);
        tube(pen, BOTTOM_BRACKET, seat, tube);
        tube(pen, seat, headTop, tube);
        tube(pen, BOTTOM_BRACKET, headBottom, tube * 1.2);
        tube(pen, headBottom, headTop, tube * 1.2);
        tube(pen, BOTTOM_BRACKET, REAR_HUB, tube * 0.8);
        tube(pen, seat, REAR_HUB, tube * 0.8);
        tube(pen, headBottom, FRONT_HUB, tube);
        pen.colour(0x2a2a2a);
        tube(pen, headTop, grip, 0.03);
        tube(pen, seat, hip.plus(0, -0.05), 0.025);
        pen.poly(hip.x() - 0.13, hip.y() - 0.03, hip.x() + 0.09, hip.y() - 0.05, hip.x() + 0.09, hip.y() - 0.08,
                hip.x() - 0.12, hip.y() - 0.08);
        pen.colour(0x707070);
        tube(pen, BOTTOM_BRACKET, pedalNear, 0.025);
        pen.disc(BOTTOM_BRACKET.x(), BOTTOM_BRACKET.y(), 0.06);
        pen.colour(0x202020);
        pen.rect(pedalNear.x() - 0.05, pedalNear.y() - 0.012, pedalNear.x() + 0.05, pedalNear.y() + 0.012);
    }

    private static void tube(Pen pen, Point a, Point b, double width) {
        pen.limb(a.x(), a.y(), b.x(), b.y(), width);
    }

    private static void wheel(Pen pen, Point hub, double turn) {
        pen.paint(0x9a9a9a, CLASS);
        for (int k = 0; k < 3; k++) {
            double a = turn + k * Math.PI / 3;
            double dx = 0.3 * Math.cos(a);
            double dy = 0.3 * Math.sin(a);
            pen.limb(hub.x() - dx, hub.y() - dy, hub.x() + dx, hub.y() + dy, 0.012);
        }
        pen.colour(0x1a1a1a);
        pen.ring(hub.x(), hub.y(), WHEEL, WHEEL - 0.055);
        pen.colour(0xb0b0b0);
        pen.ring(hub.x(), hub.y(), WHEEL - 0.055, WHEEL - 0.075);
        pen.colour(0x505050);
        pen.disc(hub.x(), hub.y(), 0.035);
    }
}
