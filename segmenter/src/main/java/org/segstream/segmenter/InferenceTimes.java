package org.segstream.segmenter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long an inference batch takes, smoothed per batch shape (frames in the batch, pixels of each frame), so the
 * scheduler can predict when a queued frame would be done: a 320x180 camera next to a 640x360 file is judged by
 * its own batches' times, not by the file's. A small frame costs more per pixel than a large one (fixed work per
 * run, less parallel work in its layers), so shapes are kept apart rather than pooled into one rate per pixel.
 *
 * <p>A shape not measured yet is estimated from the nearest measured one (the same frame size first), scaled by
 * frame count and pixels: a safe side, as batching is rarely slower per frame and a convolutional network's time
 * grows with its input's pixels. Nothing measured yet predicts 0 (no early shedding before the first batch).
 * Bounded: the {@link #MAX_SHAPES} shapes measured most recently are kept.
 */
final class InferenceTimes {
    /** Weight of the newest batch in the smoothed time. */
    private static final double SMOOTHING = 0.2;
    /** Batch shapes kept; a stream of ever new frame sizes forgets the shapes measured longest ago. */
    static final int MAX_SHAPES = 64;
    /** How much more a different frame size weighs than a different batch count when choosing the nearest shape. */
    private static final double SIZE_WEIGHT = 4;

    private record Shape(int frames, long pixelsPerFrame) {
        Shape {
            pixelsPerFrame = Math.max(1, pixelsPerFrame);
        }

        double distanceTo(Shape other) {
            return SIZE_WEIGHT * Math.abs(Math.log((double) pixelsPerFrame / other.pixelsPerFrame))
                    + Math.abs(Math.log((double) frames / other.frames));
        }
    }

    /** Smoothed milliseconds per shape, in the order last measured (the eldest is dropped past {@link #MAX_SHAPES}). */
    private final Map<Shape, Double> millisByShape = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Shape, Double> eldest) {
            return size() > MAX_SHAPES;
        }
    };

    /** A batch of {@code frames} frames of {@code pixelsPerFrame} pixels each took {@code millis}. */
    void record(int frames, long pixelsPerFrame, double millis) {
        Shape shape = new Shape(frames, pixelsPerFrame);
        Double old = millisByShape.remove(shape); // put back last: the most recently measured
        millisByShape.put(shape, old == null ? millis : (1 - SMOOTHING) * old + SMOOTHING * millis);
    }

    /** Predicted milliseconds of one batch of {@code frames} frames of {@code pixelsPerFrame} pixels each. */
    double millis(int frames, long pixelsPerFrame) {
        Shape wanted = new Shape(frames, pixelsPerFrame);
        Double exact = millisByShape.get(wanted);
        if (exact != null) {
            return exact;
        }
        Shape nearest = null;
        double nearestDistance = Double.POSITIVE_INFINITY;
        for (Shape shape : millisByShape.keySet()) {
            double distance = shape.distanceTo(wanted);
            if (distance < nearestDistance) {
                nearest = shape;
                nearestDistance = distance;
            }
        }
        if (nearest == null) {
            return 0;
        }
        return millisByShape.get(nearest) * ((double) wanted.frames() / nearest.frames())
                * ((double) wanted.pixelsPerFrame() / nearest.pixelsPerFrame());
    }
}
