package org.segstream.scenes.street;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;

/**
 * A synthetic street with traffic, rendered frame by frame with exact per-pixel VOC labels: people,
 * dogs, cars, buses, bicycles and motorbikes moving past buildings, pavements and a road.
 *
 * <pre>{@code
 * var scene = new StreetScene(seed, 640, 360, 25);
 * LabelledFrame frame = scene.next(); // frame.image() and frame.labels() are aligned pixel for pixel
 * }</pre>
 *
 * <p>Deterministic: the same seed, size and frame rate give byte-identical frames and labels, and
 * nothing is shared between instances. Objects are drawn far to near, each pixel's colour and label
 * by one coverage test ({@link Canvas}), so a label is the frontmost object at that pixel. Shadows,
 * lighting and noise change colours only. Not thread-safe: one scene per thread.
 */
public final class StreetScene {
    private static final Comparator<Actor> FAR_TO_NEAR =
            Comparator.comparingDouble((Actor a) -> a.ground).thenComparingInt(a -> a.id);

    private final StreetLayout layout;
    private final double fps;
    private final Traffic traffic;
    private final byte[] backdrop;
    private final PhotoEffects effects;
    private final Canvas canvas;
    private final Pen pen;
    private final double shadowFactor;
    private final double shadowShift;
    private int index;

    public StreetScene(long seed, int width, int height, double fps) {
        this(seed, width, height, fps, Rendering.full());
    }

    public StreetScene(long seed, int width, int height, double fps, Rendering rendering) {
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("frame rate must be positive and finite, got " + fps);
        }
        this.layout = new StreetLayout(width, height);
        this.fps = fps;
        this.traffic = new Traffic(Noise.mix(seed, 11), layout.aspect(), 1 / fps);
        this.backdrop = rendering.street() ? Backdrop.paint(layout, Noise.mix(seed, 12)) : flat(rendering.backdropRgb());
        this.effects = rendering.cameraEffects() ? new PhotoEffects(Noise.mix(seed, 13), layout, fps) : null;
        this.canvas = new Canvas(width, height);
        this.pen = new Pen(canvas);
        var light = new SplittableRandom(Noise.mix(seed, 14));
        this.shadowFactor = 0.55 + 0.3 * light.nextDouble();
        this.shadowShift = 0.6 * (2 * light.nextDouble() - 1); // where the sun is: shadows fall to one side
    }

    public int width() {
        return layout.width;
    }

    public int height() {
        return layout.height;
    }

    public double fps() {
        return fps;
    }

    /** Index of the frame that {@link #next()} returns next. */
    public int nextIndex() {
        return index;
    }

    /** Renders the current frame and advances the street by one frame interval. */
    public LabelledFrame next() {
        byte[] bgr = backdrop.clone();
        byte[] labels = new byte[layout.width * layout.height];
        canvas.target(bgr, labels);
        List<Actor> order = new ArrayList<>(traffic.actors());
        order.sort(FAR_TO_NEAR);
        // shadows lie on the ground, under everything that stands on it
        for (Actor a : order) {
            double m = layout.metre(a.ground);
            canvas.shadeEllipse(layout.screenX(a.x + shadowShift * a.length() * 0.2, a.ground), layout.row(a.ground),
                    (a.length() / 2 + 0.15) * m, Math.max(1, layout.groundRows(a.ground, a.kind.breadth) / 2),
                    shadowFactor);
        }
        for (Actor a : order) {
            double m = layout.metre(a.ground);
            double sx = layout.screenX(a.x, a.ground);
            if (Math.abs(sx - layout.width / 2.0) > layout.width / 2.0 + (a.length() + 2) * m) {
                continue; // wholly outside the view
            }
            pen.place(sx, layout.row(a.ground), m, a.direction);
            pen.paint(0, a.kind.vocClass); // a safe default label; sprites set their own for every part
            a.sprite.paint(pen, a.phase);
        }
        if (effects != null) {
            effects.apply(bgr, index);
        }
        var frame = new LabelledFrame(index, new BgrImage(layout.width, layout.height, bgr),
                new ClassMap(layout.width, layout.height, labels));
        traffic.step(1 / fps);
        index++;
        return frame;
    }

    private byte[] flat(int rgb) {
        byte[] bgr = new byte[layout.width * layout.height * 3];
        for (int i = 0; i < bgr.length; i += 3) {
            bgr[i] = (byte) rgb;
            bgr[i + 1] = (byte) (rgb >> 8);
            bgr[i + 2] = (byte) (rgb >> 16);
        }
        return bgr;
    }
}
