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

    /**
     * Paints the sprite; {@code phase} counts animation cycles (only its fraction matters). Every part
     * must be painted with its class ({@link Pen#paint}) before any {@link Pen#colour}-only change: the
     * pen's label is state, and a helper that only sets a colour inherits whatever was painted last.
     */
    void paint(Pen pen, double phase);
}
