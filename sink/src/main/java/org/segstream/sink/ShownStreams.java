package org.segstream.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;

/**
 * The streams the live page shows, each with its latest overlay and figures: at most
 * {@link StreamLimits#maxStreams()} of them, each forgotten after {@link StreamLimits#idle()} without a
 * frame. Written by the sink's thread, read by the page's threads.
 */
final class ShownStreams {
    private static final long SWEEP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** One picture of a stream and its figures; the JPEG is encoded once, when first asked for. */
    static final class Latest {
        final FrameIdentity frame;
        final BgrImage overlay;
        final long latencyMillis;
        final long written;
        final long skipped;
        final long updatedNanos;
        private byte[] jpeg;

        Latest(FrameIdentity frame, BgrImage overlay, long latencyMillis, long written, long skipped, long updatedNanos, byte[] jpeg) {
            this.frame = frame;
            this.overlay = overlay;
            this.latencyMillis = latencyMillis;
            this.written = written;
            this.skipped = skipped;
            this.updatedNanos = updatedNanos;
            this.jpeg = jpeg;
        }

        synchronized byte[] jpeg() {
            if (jpeg == null) {
                jpeg = JpegCodec.encode(overlay, 80);
            }
            return jpeg;
        }

        synchronized Latest withSkipped(long more) {
            return new Latest(frame, overlay, latencyMillis, written, skipped + more, updatedNanos, jpeg);
        }
    }

    /** What the page keeps of one stream; {@code latest} is replaced whole on every frame, so readers need no lock. */
    private static final class Shown {
        final FrameRate rate = new FrameRate();
        volatile Latest latest;
    }

    private final Map<String, Shown> streams = new ConcurrentHashMap<>();
    private final StreamLimits limits;
    private final LongSupplier nanoClock;
    private volatile long lastSweepNanos;

    ShownStreams(StreamLimits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.lastSweepNanos = nanoClock.getAsLong();
    }

    void frameWritten(FrameIdentity frame, BgrImage overlay, long latencyMillis) {
        long now = nanoClock.getAsLong();
        Shown shown = streams.get(frame.stream());
        if (shown == null) {
            makeRoom(now);
            shown = streams.computeIfAbsent(frame.stream(), s -> new Shown());
        }
        shown.rate.frame(now);
        Latest before = shown.latest;
        shown.latest = new Latest(frame, overlay, latencyMillis, before == null ? 1 : before.written + 1,
                before == null ? 0 : before.skipped, now, null);
        if (now - lastSweepNanos > SWEEP_EVERY_NANOS) {
            sweep(now);
        }
    }

    /** Frames of a stream already shown that will not be written. */
    void framesMissing(String stream, long count) {
        Shown shown = streams.get(stream);
        Latest latest = shown == null ? null : shown.latest;
        if (latest != null) {
            shown.latest = latest.withSkipped(count);
            shown.rate.dropped(count, nanoClock.getAsLong());
        }
    }

    void forget(String stream) {
        streams.remove(stream);
    }

    int size() {
        return streams.size();
    }

    /** The stream's latest picture, null if the page does not show it. */
    Latest latest(String stream) {
        Shown shown = stream == null ? null : streams.get(stream);
        return shown == null ? null : shown.latest;
    }

    /** The figures of every stream shown, by name, after idle ones are forgotten: the rows of {@code /api/streams}. */
    List<Map<String, Object>> rows() {
        List<Map<String, Object>> list = new ArrayList<>();
        long now = nanoClock.getAsLong();
        sweep(now);
        streams.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Latest l = e.getValue().latest;
            if (l != null) {
                list.add(row(e.getKey(), l, StreamStatus.of(e.getValue().rate, l.updatedNanos, l.frame.fps(), now)));
            }
        });
        return list;
    }

    private static Map<String, Object> row(String stream, Latest l, StreamStatus status) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("stream", stream);
        row.put("session", l.frame.session());
        row.put("seq", l.frame.seq());
        row.put("width", l.frame.width());
        row.put("height", l.frame.height());
        row.put("fps", tenths(status.fps()));
        row.put("latency_ms", l.latencyMillis);
        row.put("written", l.written);
        row.put("dropped", l.skipped);
        row.put("drop_rate", tenths(status.dropRate()));
        row.put("last_frame_age_ms", status.lastFrameAgeMillis());
        row.put("online", status.online());
        return row;
    }

    private static double tenths(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Forgets streams without a frame for the idle timeout. */
    private void sweep(long now) {
        lastSweepNanos = now;
        long idle = limits.idle().toNanos();
        streams.entrySet().removeIf(e -> {
            Latest latest = e.getValue().latest;
            return latest != null && now - latest.updatedNanos > idle;
        });
    }

    /** Before a new stream is shown: forgets idle streams, then the least recently updated one if the page is still full. */
    private void makeRoom(long now) {
        if (streams.size() < limits.maxStreams()) {
            return;
        }
        sweep(now);
        while (streams.size() >= limits.maxStreams()) {
            String oldest = null;
            long oldestNanos = Long.MAX_VALUE;
            for (Map.Entry<String, Shown> e : streams.entrySet()) {
                Latest latest = e.getValue().latest;
                long updated = latest == null ? Long.MIN_VALUE : latest.updatedNanos;
                if (oldest == null || updated - oldestNanos < 0) {
                    oldest = e.getKey();
                    oldestNanos = updated;
                }
            }
            if (oldest == null) {
                return;
            }
            streams.remove(oldest);
        }
    }
}
