package org.segstream.sink;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The streams the sink keeps state for, bounded by {@link StreamLimits}: at most {@code maxStreams}
 * of them, each forgotten after {@code idle} without a record. Only bookkeeping: what a forgotten
 * stream leaves behind (its open file, its metric series, its live-page entry) is for the caller to
 * clean up, from the {@link Evicted} entries handed back. Used by the sink's thread only.
 */
final class TrackedStreams {
    /** What the sink keeps of one stream. */
    static final class Tracked {
        /** Frames written and dropped per second: the figure the overlay caption shows. */
        final FrameRate rate = new FrameRate();
        /** The open session's output, null between sessions. */
        StreamOutput output;
        /** The masks partition the stream's records come from (a stream is one key, so one partition). */
        TopicPartition partition;
        long lastSeenNanos;

        boolean hasOpenFile() {
            return output != null && output.hasOpenFile();
        }
    }

    /** A stream the table no longer tracks, with what it held. */
    record Evicted(String stream, Tracked tracked) {
    }

    /** The entry of a stream let in (null: refused, the table is full of streams with open files) and the one that made room, if any. */
    record Admission(Tracked tracked, Evicted madeRoom) {
    }

    private final StreamLimits limits;
    private final LongSupplier nanoClock;
    /** In access order: the least recently active stream first. */
    private final Map<String, Tracked> streams = new LinkedHashMap<>(16, 0.75f, true);

    TrackedStreams(StreamLimits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
    }

    /** The stream's entry, marked active now; null if the stream is not tracked. */
    Tracked seen(String stream) {
        Tracked tracked = streams.get(stream);
        if (tracked != null) {
            tracked.lastSeenNanos = nanoClock.getAsLong();
        }
        return tracked;
    }

    /** True if the stream is tracked; does not count as activity. */
    boolean contains(String stream) {
        return streams.containsKey(stream);
    }

    /**
     * The stream's entry, marked active now, made if needed. When the table is full, the least
     * recently active stream without an open file is forgotten to make room (handed back in the
     * admission); if every stream has an open file, the new one is refused.
     */
    Admission admit(String stream) {
        Tracked tracked = seen(stream);
        if (tracked != null) {
            return new Admission(tracked, null);
        }
        Evicted madeRoom = null;
        if (streams.size() >= limits.maxStreams()) {
            madeRoom = evictOldestWithoutOpenFile();
            if (madeRoom == null) {
                return new Admission(null, null);
            }
        }
        tracked = new Tracked();
        tracked.lastSeenNanos = nanoClock.getAsLong();
        streams.put(stream, tracked);
        return new Admission(tracked, madeRoom);
    }

    private Evicted evictOldestWithoutOpenFile() {
        for (Iterator<Map.Entry<String, Tracked>> it = streams.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Tracked> e = it.next();
            if (!e.getValue().hasOpenFile()) {
                it.remove();
                return new Evicted(e.getKey(), e.getValue());
            }
        }
        return null;
    }

    /** Forgets and hands back every stream without a record for longer than the idle timeout. */
    List<Evicted> takeIdle() {
        long now = nanoClock.getAsLong();
        long idle = limits.idle().toNanos();
        List<Evicted> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Tracked>> it = streams.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Tracked> e = it.next();
            if (now - e.getValue().lastSeenNanos > idle) {
                it.remove();
                out.add(new Evicted(e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    /** Forgets and hands back the streams of {@code partition} (it moved to another sink instance). */
    List<Evicted> takePartition(TopicPartition partition) {
        List<Evicted> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Tracked>> it = streams.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Tracked> e = it.next();
            if (partition.equals(e.getValue().partition)) {
                it.remove();
                out.add(new Evicted(e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    /** Forgets and hands back every stream. */
    List<Evicted> takeAll() {
        List<Evicted> out = new ArrayList<>();
        streams.forEach((stream, tracked) -> out.add(new Evicted(stream, tracked)));
        streams.clear();
        return out;
    }

    /**
     * How far {@code partition} may be committed when {@code handledUpTo} is the offset after its
     * last handled record: never past the first mask of a file still open on it.
     */
    long committable(TopicPartition partition, long handledUpTo) {
        long commit = handledUpTo;
        for (Tracked tracked : streams.values()) {
            if (tracked.hasOpenFile() && partition.equals(tracked.partition)) {
                commit = Math.min(commit, tracked.output.openSinceOffset());
            }
        }
        return commit;
    }

    int size() {
        return streams.size();
    }

    /** Streams with an open file. */
    long openFiles() {
        return streams.values().stream().filter(Tracked::hasOpenFile).count();
    }

    /** The folders of the sessions being written: recordings retention leaves them alone. */
    java.util.Set<java.nio.file.Path> openSessionDirs() {
        java.util.Set<java.nio.file.Path> dirs = new java.util.HashSet<>();
        for (Tracked tracked : streams.values()) {
            if (tracked.output != null) {
                dirs.add(tracked.output.dir());
            }
        }
        return dirs;
    }
}
