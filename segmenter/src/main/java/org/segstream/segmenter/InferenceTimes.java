package org.segstream.segmenter;

import java.util.Map;
import java.util.TreeMap;

/**
 * How long an inference batch takes, smoothed per batch size, so the scheduler can predict when a
 * queued frame would be done. A size not measured yet is estimated from the nearest measured one,
 * scaled by frame count (a safe side: batching is rarely slower per frame); nothing measured yet
 * predicts 0 (no early shedding before the first batch). Bounded by the batch sizes seen (at most 256).
 */
final class InferenceTimes {
    /** Weight of the newest batch in the smoothed time. */
    private static final double SMOOTHING = 0.2;

    private final Map<Integer, Double> millisBySize = new TreeMap<>();

    void record(int frames, double millis) {
        millisBySize.merge(frames, millis, (old, now) -> (1 - SMOOTHING) * old + SMOOTHING * now);
    }

    /** Predicted milliseconds of one batch of {@code frames}. */
    double millis(int frames) {
        Double known = millisBySize.get(frames);
        if (known != null) {
            return known;
        }
        int nearest = -1;
        for (int size : millisBySize.keySet()) {
            if (nearest < 0 || Math.abs(size - frames) < Math.abs(nearest - frames)) {
                nearest = size;
            }
        }
        return nearest < 0 ? 0 : millisBySize.get(nearest) * frames / nearest;
    }
}
