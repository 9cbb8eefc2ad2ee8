package org.segstream.scenes.street;

/**
 * The look of one moving object, fixed when it enters the street, drawn with a {@link Pen} in
 * metres. Implementations hold only immutable design parameters; motion state lives in {@link Actor}.
 */
interface Sprite {
    /** Length along the direction of travel, metres; the footprint is centred on the origin. */
    double length();

    /** Metres travelled per animation cycle (a walking stride, a pedal turn). */
    double cycleLength();

    /** Paints the sprite; {@code phase} counts animation cycles (only its fraction matters). */
    void paint(Pen pen, double phase);
}
