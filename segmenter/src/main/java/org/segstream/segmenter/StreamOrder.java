package org.segstream.segmenter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task's records in each stream's arrival order (per record key, not per task: the batcher serves live frames
 * before file frames that came earlier on the same partition, and their masks must not wait behind them). A record
 * leaves only when it and every record of its stream before it are done.
 */
final class StreamOrder {
    /** Per record key (the stream), its records in arrival order; a key is removed when its queue empties. */
    private final Map<String, ArrayDeque<PendingFrame>> inOrder = new LinkedHashMap<>();

    void add(PendingFrame frame) {
        String key = frame.record.key() == null ? "" : frame.record.key();
        inOrder.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(frame);
    }

    /** Takes, stream by stream, every record at the head of its queue that is done, in arrival order. */
    List<PendingFrame> takeDone() {
        List<PendingFrame> done = new ArrayList<>();
        for (Iterator<ArrayDeque<PendingFrame>> queues = inOrder.values().iterator(); queues.hasNext(); ) {
            ArrayDeque<PendingFrame> queue = queues.next();
            while (!queue.isEmpty() && queue.peekFirst().done()) {
                done.add(queue.pollFirst());
            }
            if (queue.isEmpty()) {
                queues.remove();
            }
        }
        return done;
    }

    boolean isEmpty() {
        return inOrder.isEmpty();
    }

    void clear() {
        inOrder.clear();
    }
}
