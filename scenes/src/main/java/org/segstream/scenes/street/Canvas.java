package org.segstream.scenes.street;

/**
 * The paired raster behind every frame: each fill writes a pixel's colour and its class label from
 * one coverage test, so the label map cannot drift from the image.
 *
 * <p>A pixel is covered when its centre (x + 0.5, y + 0.5) lies inside the shape. There is no
 * antialiasing: a pixel belongs wholly to the last shape painted over it, which with far-to-near
 * drawing is the frontmost object. The only colour-only operation is {@link #shadeEllipse}, for
 * shadows on the ground, which by definition keep the ground's label.
 */
final class Canvas {
    final int width;
    final int height;
    private byte[] bgr;
    private byte[] labels;

    private int red;
    private int green;
    private int blue;
    private byte label;
    private byte[] texture;
    private int textureAmplitude;
    private int shadeFactor = -1; // >= 0 while shading: colour times shadeFactor / 256, label untouched
    private final PolygonScan polygons = new PolygonScan();
    private final PolygonScan.Spans spans = this::span;

    Canvas(int width, int height) {
        this(width, height, new byte[width * height * 3], new byte[width * height]);
    }

    Canvas(int width, int height, byte[] bgr, byte[] labels) {
        this.width = width;
        this.height = height;
        target(bgr, labels);
    }

    /** Points the canvas at another pair of buffers (the next frame). */
    void target(byte[] bgr, byte[] labels) {
        if (bgr.length != width * height * 3 || labels.length != width * height) {
            throw new IllegalArgumentException("buffers do not match a " + width + "x" + height + " canvas");
        }
        this.bgr = bgr;
        this.labels = labels;
    }

    byte[] bgr() {
        return bgr;
    }

    byte[] labels() {
        return labels;
    }

    /** Sets the colour (0xRRGGBB) and class that the next fills write. */
    Canvas paint(int rgb, int classIndex) {
        colour(rgb);
        label = (byte) classIndex;
        return this;
    }

    Canvas colour(int rgb) {
        red = (rgb >> 16) & 0xff;
        green = (rgb >> 8) & 0xff;
        blue = rgb & 0xff;
        return this;
    }

    Canvas label(int classIndex) {
        label = (byte) classIndex;
        return this;
    }

    /**
     * Modulates the fill colour by a full-frame texture field (signed bytes, see {@link Noise}): the
     * colour is multiplied by 1 + amplitude * field / 127. {@code null} for flat fills.
     */
    Canvas texture(byte[] field, double amplitude) {
        if (field != null && field.length != width * height) {
            throw new IllegalArgumentException("texture field does not match a " + width + "x" + height + " canvas");
        }
        texture = field;
        textureAmplitude = (int) Math.round(amplitude * 256);
        return this;
    }

    /** Sets one pixel to the current colour and label (texture and shading do not apply). */
    void set(int x, int y) {
        if (x >= 0 && x < width && y >= 0 && y < height) {
            int p = y * width + x;
            bgr[3 * p] = (byte) blue;
            bgr[3 * p + 1] = (byte) green;
            bgr[3 * p + 2] = (byte) red;
            labels[p] = label;
        }
    }

    void fillRect(double x0, double y0, double x1, double y1) {
        double top = Math.min(y0, y1);
        double bottom = Math.max(y0, y1);
        double left = Math.min(x0, x1);
        double right = Math.max(x0, x1);
        int yEnd = Math.min(height, firstCentreAtOrAfter(bottom));
        for (int y = Math.max(0, firstCentreAtOrAfter(top)); y < yEnd; y++) {
            span(y, left, right);
        }
    }

    /** Fills a polygon (even-odd rule) given its first {@code n} vertices. */
    void fillPolygon(double[] xs, double[] ys, int n) {
        if (n < 3) {
            return;
        }
        double top = Double.POSITIVE_INFINITY;
        double bottom = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            top = Math.min(top, ys[i]);
            bottom = Math.max(bottom, ys[i]);
        }
        polygons.fill(xs, ys, n, Math.max(0, firstCentreAtOrAfter(top)), Math.min(height, firstCentreAtOrAfter(bottom)), spans);
    }

    void fillEllipse(double cx, double cy, double rx, double ry) {
        if (rx <= 0 || ry <= 0) {
            return;
        }
        int yEnd = Math.min(height, firstCentreAtOrAfter(cy + ry));
        for (int y = Math.max(0, firstCentreAtOrAfter(cy - ry)); y < yEnd; y++) {
            double dy = (y + 0.5 - cy) / ry;
            double t = 1 - dy * dy;
            if (t > 0) {
                double half = rx * Math.sqrt(t);
                span(y, cx - half, cx + half);
            }
        }
    }

    /** The area between two concentric circles, such as a bicycle tyre. */
    void fillRing(double cx, double cy, double outer, double inner) {
        if (outer <= 0) {
            return;
        }
        int yEnd = Math.min(height, firstCentreAtOrAfter(cy + outer));
        for (int y = Math.max(0, firstCentreAtOrAfter(cy - outer)); y < yEnd; y++) {
            double dy = y + 0.5 - cy;
            double to = outer * outer - dy * dy;
            if (to <= 0) {
                continue;
            }
            double ho = Math.sqrt(to);
            double ti = inner * inner - dy * dy;
            if (inner <= 0 || ti <= 0) {
                span(y, cx - ho, cx + ho);
            } else {
                double hi = Math.sqrt(ti);
                span(y, cx - ho, cx - hi);
                span(y, cx + hi, cx + ho);
            }
        }
    }

    /** A thick line with round ends: limbs, tubes, poles. */
    void fillCapsule(double x0, double y0, double x1, double y1, double radius) {
        double dx = x1 - x0;
        double dy = y1 - y0;
        double length = Math.hypot(dx, dy);
        if (length > 1e-9) {
            double nx = -dy / length * radius;
            double ny = dx / length * radius;
            double[] xs = {x0 + nx, x1 + nx, x1 - nx, x0 - nx};
            double[] ys = {y0 + ny, y1 + ny, y1 - ny, y0 - ny};
            fillPolygon(xs, ys, 4);
        }
        fillEllipse(x0, y0, radius, radius);
        fillEllipse(x1, y1, radius, radius);
    }

    /** Darkens the colour under an ellipse by {@code factor} (0..1) and leaves the labels alone. */
    void shadeEllipse(double cx, double cy, double rx, double ry, double factor) {
        shadeFactor = (int) Math.round(Math.max(0, Math.min(1, factor)) * 256);
        try {
            fillEllipse(cx, cy, rx, ry);
        } finally {
            shadeFactor = -1;
        }
    }

    /** Row or column index of the first pixel whose centre is at or after {@code v}. */
    private static int firstCentreAtOrAfter(double v) {
        return (int) Math.ceil(v - 0.5);
    }

    /** Covers the pixels of row y whose centres lie in [xl, xr). */
    private void span(int y, double xl, double xr) {
        int x0 = Math.max(0, firstCentreAtOrAfter(xl));
        int x1 = Math.min(width, firstCentreAtOrAfter(xr));
        if (x0 >= x1) {
            return;
        }
        int p = y * width + x0;
        int i = 3 * p;
        int end = y * width + x1;
        if (shadeFactor >= 0) {
            for (; p < end; p++, i += 3) {
                bgr[i] = (byte) (((bgr[i] & 0xff) * shadeFactor) >> 8);
                bgr[i + 1] = (byte) (((bgr[i + 1] & 0xff) * shadeFactor) >> 8);
                bgr[i + 2] = (byte) (((bgr[i + 2] & 0xff) * shadeFactor) >> 8);
            }
        } else if (texture == null || textureAmplitude == 0) {
            byte b = (byte) blue;
            byte g = (byte) green;
            byte r = (byte) red;
            for (; p < end; p++, i += 3) {
                bgr[i] = b;
                bgr[i + 1] = g;
                bgr[i + 2] = r;
                labels[p] = label;
            }
        } else {
            for (; p < end; p++, i += 3) {
                int m = 256 + texture[p] * textureAmplitude / 127; // fixed point, 256 = unchanged
                bgr[i] = (byte) clamp255(blue * m >> 8);
                bgr[i + 1] = (byte) clamp255(green * m >> 8);
                bgr[i + 2] = (byte) clamp255(red * m >> 8);
                labels[p] = label;
            }
        }
    }

    private static int clamp255(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
