package org.segstream.scenes.street;

/** One moving object in the street: its fixed look and route, and its motion state. */
final class Actor {
    final int id;
    final Kind kind;
    final Sprite sprite;
    /** Index of the traffic stream (lane or pavement) it moves in. */
    final int stream;
    /** Ground row (depth), see {@link StreetLayout}. */
    final double ground;
    /** +1 moving right, -1 moving left. */
    final int direction;
    /** The speed it keeps when nothing is in the way, m/s. */
    final double cruise;
    /** World position of the footprint's centre, metres from the centre of the view. */
    double x;
    double speed;
    /** Animation cycles so far (walking, pedalling, wheel turns). */
    double phase;

    Actor(int id, Kind kind, Sprite sprite, int stream, double ground, int direction, double cruise, double x) {
        this.id = id;
        this.kind = kind;
        this.sprite = sprite;
        this.stream = stream;
        this.ground = ground;
        this.direction = direction;
        this.cruise = cruise;
        this.x = x;
        this.speed = cruise;
    }

    double length() {
        return sprite.length();
    }

    /** How far along its own direction of travel it is: larger means further ahead. */
    double progress() {
        return direction * x;
    }
}
