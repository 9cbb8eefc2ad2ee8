package org.segstream.scenes.street;

/**
 * Draws a sprite in its own coordinates onto a {@link Canvas}: metres, x forward along the direction
 * of travel, y up from the ground, origin at the middle of the sprite's footprint. {@link #place}
 * sets where and how large the sprite appears and whether it faces left (drawn mirrored).
 */
final class Pen {
    /** Thin parts (bicycle tubes, lamp posts) stay at least this wide so they do not vanish when small. */
    private static final double MIN_WIDTH_PX = 1.0;

    private final Canvas canvas;
    private final double[] xs = new double[64];
    private final double[] ys = new double[64];
    private double originX;
    private double groundRow;
    private double scale;
    private int direction = 1;

    Pen(Canvas canvas) {
        this.canvas = canvas;
    }

    /**
     * @param screenX   column of the sprite's origin
     * @param groundRow row where the sprite touches the ground
     * @param metrePx   pixels per metre at the sprite's depth
     * @param direction +1 facing right, -1 facing left
     */
    Pen place(double screenX, double groundRow, double metrePx, int direction) {
        this.originX = screenX;
        this.groundRow = groundRow;
        this.scale = metrePx;
        this.direction = direction >= 0 ? 1 : -1;
        return this;
    }

    double scale() {
        return scale;
    }

    Pen paint(int rgb, int classIndex) {
        canvas.paint(rgb, classIndex);
        return this;
    }

    /** Changes the colour and keeps the class set by the last {@link #paint}. */
    Pen colour(int rgb) {
        canvas.colour(rgb);
        return this;
    }

    double sx(double x) {
        return originX + direction * x * scale;
    }

    double sy(double y) {
        return groundRow - y * scale;
    }

    void rect(double x0, double y0, double x1, double y1) {
        canvas.fillRect(sx(x0), sy(y0), sx(x1), sy(y1));
    }

    /** A polygon from x, y pairs. */
    void poly(double... xy) {
        int n = xy.length / 2;
        for (int i = 0; i < n; i++) {
            xs[i] = sx(xy[2 * i]);
            ys[i] = sy(xy[2 * i + 1]);
        }
        canvas.fillPolygon(xs, ys, n);
    }

    void ellipse(double cx, double cy, double rx, double ry) {
        canvas.fillEllipse(sx(cx), sy(cy), rx * scale, ry * scale);
    }

    void disc(double cx, double cy, double r) {
        ellipse(cx, cy, r, r);
    }

    void ring(double cx, double cy, double outer, double inner) {
        double o = Math.max(outer * scale, MIN_WIDTH_PX);
        double i = Math.min(inner * scale, o - MIN_WIDTH_PX);
        canvas.fillRing(sx(cx), sy(cy), o, i);
    }

    /** The upper half of a disc: wheel arches. */
    void arch(double cx, double cy, double r) {
        int n = 12;
        for (int i = 0; i <= n; i++) {
            double a = Math.PI * i / n;
            xs[i] = sx(cx + r * Math.cos(a));
            ys[i] = sy(cy + r * Math.sin(a));
        }
        canvas.fillPolygon(xs, ys, n + 1);
    }

    /** A thick line with round ends, {@code width} metres across. */
    void limb(double x0, double y0, double x1, double y1, double width) {
        double radius = Math.max(width * scale, MIN_WIDTH_PX) / 2;
        canvas.fillCapsule(sx(x0), sy(y0), sx(x1), sy(y1), radius);
    }
}
