package org.segstream.bench;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.segstream.contract.RecordKind;

/**
 * The part of a benchmark row when every camera was delivering, read from the masks topic alone: from the
 * capture time of the last camera's first frame to that of the first camera's last one. Cameras open one
 * after another (each needs a few frames to be probed), so the row's first seconds and its last are not
 * shared fairly by construction; inside the window, each camera's masks and shed markers are.
 *
 * @param fromMs capture time where the window opens (epoch ms)
 * @param toMs   capture time where it closes
 * @param masks  per camera, masks of frames captured in the window
 * @param shed   per camera, shed markers of frames captured in the window
 */
record LiveWindow(long fromMs, long toMs, Map<String, Long> masks, Map<String, Long> shed) {

    static LiveWindow of(List<MasksTopic.Entry> entries, Collection<String> cameras) {
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        for (String camera : cameras) {
            var times = entries.stream().filter(e -> e.stream().equals(camera) && e.captureMs() >= 0
                    && !e.kind().equals(RecordKind.END.wire())).mapToLong(MasksTopic.Entry::captureMs).summaryStatistics();
            if (times.getCount() == 0) {
                return new LiveWindow(0, 0, Map.of(), Map.of());
            }
            from = Math.max(from, times.getMin());
            to = Math.min(to, times.getMax());
        }
        Map<String, Long> masks = new TreeMap<>();
        Map<String, Long> shed = new TreeMap<>();
        for (String camera : cameras) {
            masks.put(camera, 0L);
            shed.put(camera, 0L);
        }
        for (MasksTopic.Entry e : entries) {
            if (masks.containsKey(e.stream()) && e.captureMs() >= from && e.captureMs() <= to) {
                if (e.kind().equals(RecordKind.FRAME.wire())) {
                    masks.merge(e.stream(), 1L, Long::sum);
                } else if (e.kind().equals(RecordKind.SHED.wire())) {
                    shed.merge(e.stream(), 1L, Long::sum);
                }
            }
        }
        return new LiveWindow(from, Math.max(from, to), masks, shed);
    }

    double seconds() {
        return (toMs - fromMs) / 1000.0;
    }

    long totalMasks() {
        return masks.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Masks per second in the window, all cameras together (0 for an empty window). */
    double masksPerSecond() {
        return seconds() <= 0 ? 0 : totalMasks() / seconds();
    }

    /** How far the camera furthest from the cameras' mean number of masks is from it, as a fraction of the mean (1: no masks). */
    double worstShareDeviation() {
        double mean = masks.values().stream().mapToLong(Long::longValue).average().orElse(0);
        return mean == 0 ? 1 : masks.values().stream().mapToDouble(n -> Math.abs(n / mean - 1)).max().orElse(1);
    }
}
