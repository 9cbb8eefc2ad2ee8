package org.segstream.scenes.street;

/**
 * The geometry of the street, seen from the side by a camera at pedestrian height: sky and building
 * facades at the top, then the far pavement, the road with four lanes (two each way) and cycling
 * edges, and the near pavement at the bottom.
 *
 * <p>Depth is expressed as a ground row {@code g}, the row (as a fraction of the frame height) where
 * something touches the ground. Perspective makes the scale proportional to the distance of that row
 * from {@link #HORIZON}: an object twice as far down the frame from the horizon is twice as large.
 * World positions along the street are in metres from the centre of the view, so the same scene
 * scales with the frame size; a wider frame shows more street.
 */
final class StreetLayout {
    /** Row where the ground would meet the sky; hidden behind the buildings. */
    static final double HORIZON = 0.30;
    /** Pixels per metre at the bottom row, per pixel of frame height: a 1.75 m person at the bottom is 0.3 H. */
    static final double METRE_AT_BOTTOM = 0.171;
    /**
     * The virtual camera: (ground row - horizon) times distance in metres. With the scale above this is
     * a camera about 4 m up with a horizontal field of view near 60 degrees at 16:9; the bottom row is
     * 8.7 m away, the facades 50 m. Used for the depth of things lying on the ground.
     */
    static final double CAMERA_K = 6.0;

    static final double BUILDING_BASE = 0.42;
    /** Lamp posts and trees stand here, between the facades and the people on the far pavement. */
    static final double STREET_FURNITURE = 0.437;
    static final double FAR_WALK_MIN = 0.447;
    static final double FAR_WALK_MAX = 0.495;
    static final double FAR_KERB = 0.50;
    static final double ROAD_TOP = 0.512;
    static final double FAR_CYCLE = 0.535;
    /** Ground rows of the lane centres; the first two run left, the others right. */
    static final double[] LANES = {0.585, 0.635, 0.705, 0.78};
    static final double NEAR_CYCLE = 0.832;
    static final double ROAD_BOTTOM = 0.852;
    static final double NEAR_PAVEMENT = 0.864;
    static final double NEAR_WALK_MIN = 0.89;
    static final double NEAR_WALK_MAX = 0.99;

    /** Solid edge lines that separate the cycling edges from the lanes. */
    static final double[] EDGE_LINES = {0.558, 0.81};
    /** Dashed lines between lanes of one direction. */
    static final double[] LANE_LINES = {0.609, 0.741};
    /** The solid centre line between the two directions. */
    static final double CENTRE_LINE = 0.668;

    final int width;
    final int height;

    StreetLayout(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("a street scene needs a positive size, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
    }

    /** Screen row of ground row {@code g}. */
    double row(double g) {
        return g * height;
    }

    /** Perspective scale at ground row {@code g}: 1 at the bottom edge, 0 at the horizon. */
    static double depthScale(double g) {
        return (g - HORIZON) / (1 - HORIZON);
    }

    /** Pixels per metre at ground row {@code g}. */
    double metre(double g) {
        return METRE_AT_BOTTOM * height * depthScale(g);
    }

    /** Rows covered by a strip of ground {@code metres} deep (towards the camera) at ground row {@code g}. */
    double groundRows(double g, double metres) {
        double d = g - HORIZON;
        return d * d / CAMERA_K * metres * height;
    }

    /** Screen column of world position {@code x} (metres from the centre of the view) at ground row {@code g}. */
    double screenX(double x, double g) {
        return width / 2.0 + x * metre(g);
    }

    /** Half the width of the view, in metres, at ground row {@code g}; depends only on the aspect ratio. */
    static double halfSpan(double g, double aspect) {
        return aspect / 2.0 / (METRE_AT_BOTTOM * depthScale(g));
    }

    double aspect() {
        return (double) width / height;
    }
}
