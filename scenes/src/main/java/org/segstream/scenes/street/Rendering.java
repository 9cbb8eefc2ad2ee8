package org.segstream.scenes.street;

/**
 * How a {@link StreetScene} paints its frames. The traffic and the labels do not depend on it, so
 * two scenes with one seed and different renderings show the same objects in the same places.
 *
 * @param street        paint the street (sky, buildings, road); otherwise a flat {@code backdropRgb}
 * @param backdropRgb   0xRRGGBB behind the objects when {@code street} is false
 * @param cameraEffects lighting drift, cloud shadow, sensor noise, block artefacts
 */
public record Rendering(boolean street, int backdropRgb, boolean cameraEffects) {

    /** The realistic look: the street and the camera effects. */
    public static Rendering full() {
        return new Rendering(true, 0, true);
    }

    /** The street as painted, without camera effects. */
    public static Rendering clean() {
        return new Rendering(true, 0, false);
    }

    /**
     * The objects (and their ground shadows) over one flat colour, without camera effects: comparing
     * two such renders with different colours shows exactly which pixels the objects painted.
     */
    public static Rendering flat(int backdropRgb) {
        return new Rendering(false, backdropRgb, false);
    }
}
