package org.segstream.sink;

import java.util.List;
import java.util.Set;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.VocClasses;

/** Blends class colours over a frame; background (class 0), and classes filtered out, are left clear. */
public final class OverlayRenderer {
    private final int alpha; // 0..256 fixed point
    private final boolean[] shown = new boolean[256];
    private final int[] blue = new int[256];
    private final int[] green = new int[256];
    private final int[] red = new int[256];
    private final List<String> classNames;

    public OverlayRenderer(double opacity) {
        this(opacity, Set.of());
    }

    /** {@code classes}: the class names to colour; empty means every class. The names are the VOC palette's. */
    public OverlayRenderer(double opacity, Set<String> classes) {
        this(opacity, classes, VocClasses.NAMES);
    }

    /** As {@link #OverlayRenderer(double, Set)}, the class of index i named {@code classNames.get(i)} (the model's). */
    public OverlayRenderer(double opacity, Set<String> classes, List<String> classNames) {
        this.alpha = (int) Math.round(opacity * 256);
        this.classNames = List.copyOf(classNames);
        for (int c = 1; c < 256; c++) {
            shown[c] = classes.isEmpty() || (c < classNames.size() && classes.contains(classNames.get(c)));
        }
        for (String name : classes) {
            if (!classNames.contains(name)) {
                throw new IllegalArgumentException("overlay class '" + name + "' is not one of " + classNames);
            }
        }
        for (int c = 0; c < 256; c++) {
            int[] rgb = VocClasses.rgb(c);
            // Premultiplied by alpha once, so the per-pixel blend is two multiplies and a shift.
            red[c] = rgb[0] * alpha;
            green[c] = rgb[1] * alpha;
            blue[c] = rgb[2] * alpha;
        }
    }

    /** The names of the classes, by index. */
    List<String> classNames() {
        return classNames;
    }

    boolean shows(int classIndex) {
        return shown[classIndex];
    }

    public BgrImage render(BgrImage frame, ClassMap mask) {
        if (frame.width() != mask.width() || frame.height() != mask.height()) {
            throw new IllegalArgumentException("mask " + mask.width() + "x" + mask.height() + " does not fit frame "
                    + frame.width() + "x" + frame.height());
        }
        byte[] in = frame.pixels();
        byte[] classes = mask.classes();
        byte[] out = in.clone();
        int keep = 256 - alpha;
        for (int p = 0, i = 0; p < classes.length; p++, i += 3) {
            int c = classes[p] & 0xff;
            if (shown[c]) {
                out[i] = (byte) (((in[i] & 0xff) * keep + blue[c]) >> 8);
                out[i + 1] = (byte) (((in[i + 1] & 0xff) * keep + green[c]) >> 8);
                out[i + 2] = (byte) (((in[i + 2] & 0xff) * keep + red[c]) >> 8);
            }
        }
        return new BgrImage(frame.width(), frame.height(), out);
    }
}
