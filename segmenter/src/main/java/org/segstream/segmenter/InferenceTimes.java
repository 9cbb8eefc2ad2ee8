package org.segstream.segmenter;

import java.util.Map;
import java.util.TreeMap;

/**
 * How long an inference batch takes, smoothed per batch size and counted per pixel (a convolutional network's
 * time grows with its input's pixels), so the scheduler can predict when a queued frame would be done, whatever
 * its size: a 320x180 camera next to a 640x360 file is not judged by the file's batch times. A batch size not
 * measured yet is estimated from the nearest measured one, scaled by frame count (a safe side: batching is rarely
 * slower per frame); nothing measured yet predicts 0 (no early shedding before the first batch). Bounded by the
 * batch sizes seen (at most 256).
 */
final class InferenceTimes {
    /** Weight of the newest batch in the smoothed time. */
    private static final double SMOOTHING = 0.2;

    /** Per batch size: milliseconds per pixel of the batch's frames. */
    private final Map<Integer, Double> millisPerPixelBySize = new TreeMap<>();

    /** A batch of {@code frames} frames of {@code pixelsPerFrame} pixels each took {@code millis}. */
    void record(int frames, long pixelsPerFrame, double millis) {
        double perPixel = millis / ((double) frames * Math.max(1, pixelsPerFrame));
        millisPerPixelBySize.merge(frames, perPixel, (old, now) -> (1 - SMOOTHING) * old + SMOOTHING * now);
    }

    /** Predicted milliseconds of one batch of {@code frames} frames of {@code pixelsPerFrame} pixels each. */
    double millis(int frames, long pixelsPerFrame) {
        Double known = millisPerPixelBySize.get(frames);
        if (known == null) {
            int nearest = -1;
            for (int size : millisPerPixelBySize.keySet()) {
                if (nearest < 0 || Math.abs(size - frames) < Math.abs(nearest - frames)) {
                    nearest = size;
                }
            }
            if (nearest < 0) {
                return 0;
            }
            known = millisPerPixelBySize.get(nearest);
        }
        return known * frames * Math.max(1, pixelsPerFrame);
    }
}
