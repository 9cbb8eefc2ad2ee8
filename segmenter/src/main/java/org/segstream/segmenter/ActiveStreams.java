package org.segstream.segmenter;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The streams the segmenter keeps per-stream state for: those that sent a valid frame within the
 * idle time, at most {@code maxStreams} of them. Stream ids are input, so this table is what bounds
 * everything keyed by them: a frame of a new stream while the table is full is refused, and a stream
 * idle for longer is forgotten, with its metric series. The first {@code maxLabels} streams to come in
 * get a {@code stream} label of their own on the metrics, the others share {@code "(other)"} until they
 * are forgotten.
 *
 * <p>Shared by the stream threads of one instance (a stream's frames reach one thread, but the cap and
 * the metrics are the instance's), so its methods are synchronized; each is O(1) but for the
 * forgetting, which costs one step per stream forgotten.
 */
final class ActiveStreams {
    /** The metric label of streams beyond the labelled ones. */
    static final String OTHER = "(other)";

    private static final class Entry {
        long lastSeenMs;
        final boolean labelled;

        Entry(long lastSeenMs, boolean labelled) {
            this.lastSeenMs = lastSeenMs;
            this.labelled = labelled;
        }
    }

    /** In the order of their last valid frame, least recent first (re-inserted on every frame). */
    private final LinkedHashMap<String, Entry> streams = new LinkedHashMap<>();
    private final int maxStreams;
    private final long idleMs;
    private final int maxLabels;
    private final Consumer<String> forgetSeries;
    private int labelled;

    /** {@code forgetSeries} is told each labelled stream that is forgotten, to remove its metric series. */
    ActiveStreams(InputLimits limits, Consumer<String> forgetSeries) {
        this.maxStreams = limits.maxStreams();
        this.idleMs = limits.streamIdleMs();
        this.maxLabels = limits.maxStreamLabels();
        this.forgetSeries = forgetSeries;
    }

    /** Whether a valid frame of {@code stream} would be taken at {@code nowMs}: the stream is known, or there is room. */
    synchronized boolean hasRoomFor(String stream, long nowMs) {
        forgetIdle(nowMs);
        return streams.containsKey(stream) || streams.size() < maxStreams;
    }

    /** Notes a valid frame of {@code stream}; false, noting nothing, when the stream is new and the table is full. */
    synchronized boolean seen(String stream, long nowMs) {
        forgetIdle(nowMs);
        Entry entry = streams.remove(stream);
        if (entry == null) {
            if (streams.size() >= maxStreams) {
                return false;
            }
            entry = new Entry(nowMs, labelled < maxLabels && !OTHER.equals(stream));
            if (entry.labelled) {
                labelled++;
            }
        }
        entry.lastSeenMs = Math.max(entry.lastSeenMs, nowMs);
        streams.put(stream, entry);
        return true;
    }

    /** The {@code stream} label for metrics about {@code stream}: itself while it is active and labelled, else "(other)". */
    synchronized String label(String stream) {
        Entry entry = streams.get(stream);
        return entry != null && entry.labelled ? stream : OTHER;
    }

    synchronized int size() {
        return streams.size();
    }

    synchronized int labelled() {
        return labelled;
    }

    private void forgetIdle(long nowMs) {
        Iterator<Map.Entry<String, Entry>> oldest = streams.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<String, Entry> next = oldest.next();
            if (nowMs - next.getValue().lastSeenMs < idleMs) {
                return; // the rest are more recent
            }
            oldest.remove();
            if (next.getValue().labelled) {
                labelled--;
                forgetSeries.accept(next.getKey());
            }
        }
    }
}
