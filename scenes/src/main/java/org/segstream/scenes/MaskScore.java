package org.segstream.scenes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.segstream.contract.ClassMap;

/**
 * Segmentation quality against ground truth: a confusion matrix over the VOC classes, from which
 * mean IoU (over the classes present in the ground truth), pixel accuracy and per-class IoU follow.
 * Ground-truth pixels labelled 255 (VOC "void") are not counted.
 */
public final class MaskScore {
    private static final int CLASSES = 21;
    private final long[][] confusion = new long[CLASSES][CLASSES]; // [truth][predicted]

    public void add(ClassMap truth, ClassMap predicted) {
        if (truth.width() != predicted.width() || truth.height() != predicted.height()) {
            throw new IllegalArgumentException("prediction " + predicted.width() + "x" + predicted.height()
                    + " does not match ground truth " + truth.width() + "x" + truth.height());
        }
        byte[] t = truth.classes();
        byte[] p = predicted.classes();
        for (int i = 0; i < t.length; i++) {
            int gt = t[i] & 0xff;
            int pr = p[i] & 0xff;
            if (gt < CLASSES) {
                confusion[gt][pr < CLASSES ? pr : 0]++;
            }
        }
    }

    public void addAll(MaskScore other) {
        for (int i = 0; i < CLASSES; i++) {
            for (int j = 0; j < CLASSES; j++) {
                confusion[i][j] += other.confusion[i][j];
            }
        }
    }

    /** IoU of class {@code c}, or NaN when it is neither in the truth nor predicted. */
    public double iou(int c) {
        long tp = confusion[c][c];
        long truth = 0;
        long predicted = 0;
        for (int k = 0; k < CLASSES; k++) {
            truth += confusion[c][k];
            predicted += confusion[k][c];
        }
        long union = truth + predicted - tp;
        return union == 0 ? Double.NaN : (double) tp / union;
    }

    /** Mean IoU over the classes present in the ground truth. */
    public double meanIou() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < CLASSES; c++) {
            if (truthPixels(c) > 0) {
                sum += iou(c);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    public double pixelAccuracy() {
        long correct = 0;
        long all = 0;
        for (int i = 0; i < CLASSES; i++) {
            for (int j = 0; j < CLASSES; j++) {
                all += confusion[i][j];
            }
            correct += confusion[i][i];
        }
        return all == 0 ? Double.NaN : (double) correct / all;
    }

    /** Per-class IoU of the classes present in the ground truth, by class name. */
    public Map<String, Double> perClassIou(List<String> names) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < CLASSES; c++) {
            if (truthPixels(c) > 0) {
                out.put(names.get(c), iou(c));
            }
        }
        return out;
    }

    private long truthPixels(int c) {
        long n = 0;
        for (int k = 0; k < CLASSES; k++) {
            n += confusion[c][k];
        }
        return n;
    }
}
