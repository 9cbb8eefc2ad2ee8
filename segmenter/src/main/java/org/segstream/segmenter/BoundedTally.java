package org.segstream.segmenter;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts by a key that comes from input (a record key, a stream id), for run summaries. Bounded: at
 * most {@code maxKeys} keys of at most {@code maxKeyChars} characters; other keys count under
 * {@code "(other)"}. Unlike the metric series these counts are never forgotten, so a summary at the end
 * of a run adds up. Thread-safe.
 */
final class BoundedTally {
    static final String OTHER = "(other)";

    private final Map<String, Long> counts = new HashMap<>();
    private final int maxKeys;
    private final int maxKeyChars;

    BoundedTally(int maxKeys, int maxKeyChars) {
        this.maxKeys = maxKeys;
        this.maxKeyChars = maxKeyChars;
    }

    synchronized void add(String key) {
        String k = key == null ? "(none)" : key;
        if (k.length() > maxKeyChars || (!counts.containsKey(k) && counts.size() >= maxKeys)) {
            k = OTHER;
        }
        counts.merge(k, 1L, Long::sum);
    }

    synchronized Map<String, Long> snapshot() {
        return new TreeMap<>(counts);
    }
}
