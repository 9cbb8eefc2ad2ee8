package org.segstream.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The bare model measured two ways at each batch size: one run at a time on every core (the fastest single batch,
 * which the latency targets are judged by) and, on the CPU, several runs at once on one thread each, as the segmenter
 * runs them (usually the most frames a second, which the throughput targets are judged by).
 */
final class BareCeilings {
    private final Map<Integer, BareModelThroughput.Result> oneRun = new TreeMap<>();
    private final Map<Integer, BareModelThroughput.Result> atOnce = new TreeMap<>();

    void addOneRun(BareModelThroughput.Result result) {
        oneRun.put(result.batch(), result);
    }

    void addAtOnce(BareModelThroughput.Result result) {
        atOnce.put(result.batch(), result);
    }

    /** One run at a time on every core, at {@code batch}: the time of one batch alone. */
    BareModelThroughput.Result oneRun(int batch) {
        return oneRun.get(batch);
    }

    /** The most frames a second the bare model did at {@code batch}, either way: what the pipeline's fps is compared with. */
    BareModelThroughput.Result best(int batch) {
        BareModelThroughput.Result one = oneRun.get(batch);
        BareModelThroughput.Result many = atOnce.get(batch);
        if (many == null || one == null) {
            return one != null ? one : many;
        }
        return many.fps() > one.fps() ? many : one;
    }

    boolean has(int batch) {
        return oneRun.containsKey(batch) || atOnce.containsKey(batch);
    }

    /** Every measurement, one run at a time first, each by batch size. */
    Iterable<BareModelThroughput.Result> all() {
        var all = new java.util.ArrayList<>(oneRun.values());
        all.addAll(atOnce.values());
        return all;
    }
}
