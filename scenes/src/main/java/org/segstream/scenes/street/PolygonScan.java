package org.segstream.scenes.street;

/**
 * Scan conversion of a polygon by the even-odd rule, for {@link Canvas}: for each pixel row, the
 * x-coordinates where the polygon's edges cross the row's centre line, paired into spans. Keeps one
 * buffer of crossings, grown as needed.
 */
final class PolygonScan {
    /** Receives the covered part of one row: pixel centres in [xl, xr). */
    interface Spans {
        void span(int y, double xl, double xr);
    }

    private double[] crossings = new double[16];

    /** Emits the spans of the polygon given by its first {@code n} vertices, for rows [yStart, yEnd). */
    void fill(double[] xs, double[] ys, int n, int yStart, int yEnd, Spans out) {
        if (crossings.length < n) {
            crossings = new double[n];
        }
        for (int y = yStart; y < yEnd; y++) {
            int k = crossingsAt(y + 0.5, xs, ys, n);
            for (int c = 0; c + 1 < k; c += 2) {
                out.span(y, crossings[c], crossings[c + 1]);
            }
        }
    }

    /** Fills {@code crossings} with the edges' crossings of the line y = yc, sorted; returns how many. */
    private int crossingsAt(double yc, double[] xs, double[] ys, int n) {
        int k = 0;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            // half-open rule: an edge counts when exactly one end lies at or above the row centre
            if ((ys[i] <= yc) != (ys[j] <= yc)) {
                crossings[k++] = xs[i] + (yc - ys[i]) * (xs[j] - xs[i]) / (ys[j] - ys[i]);
            }
        }
        for (int a = 1; a < k; a++) { // insertion sort: a handful of crossings
            double v = crossings[a];
            int b = a - 1;
            while (b >= 0 && crossings[b] > v) {
                crossings[b + 1] = crossings[b];
                b--;
            }
            crossings[b + 1] = v;
        }
        return k;
    }
}
