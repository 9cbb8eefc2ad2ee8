package org.segstream.bench;

import java.util.EnumMap;
import java.util.Map;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.SourceKind;
import org.segstream.sink.FrameTimeline;
import org.segstream.sink.SinkListener;

/**
 * The end-to-end latency of every frame the sink wrote, all streams together, and how it splits by
 * stage ({@link FrameTimeline#STAGES}): a run's percentiles, and where the slowest frames spent theirs.
 * Kept in bounded memory ({@link LatencyDistribution}), apart by source kind (file or live) and by phase:
 * the start-up (frames read by ingest within the warm-up after the first frame written) or the steady state.
 */
final class AllStreamsLatency implements SinkListener {
    /**
     * Per stage: p50 and p99 over all frames; over the slowest 1 % (by end-to-end latency), the mean per
     * stage and end to end.
     */
    record StageSplit(long[] p50, long[] p99, double[] slowestMean, double slowestEndToEndMean, int slowestFrames) {
    }

    /** A pipeline that has just started (consumer group joins, first fetches, cold code) is slower for this long. */
    static final long DEFAULT_WARMUP_MS = 2000;

    private final long warmupMillis;
    private long firstOriginMs = -1;
    private long written;
    private long firstWrittenMs = Long.MAX_VALUE;
    private long lastWrittenMs = Long.MIN_VALUE;
    /** By source kind: [0] the start-up, [1] the steady state. */
    private final Map<SourceKind, LatencyDistribution[]> parts = new EnumMap<>(SourceKind.class);
    /** Each stream's first frame's origin (a bench row has a few streams). */
    private final Map<String, Long> firstOriginByStream = new java.util.HashMap<>();
    /** Live frames read {@link LiveRows#START_UP_MS} or more after their own stream's first: past a camera's opening. */
    private final LatencyDistribution livePastOwnStartUp = new LatencyDistribution();

    AllStreamsLatency() {
        this(DEFAULT_WARMUP_MS);
    }

    AllStreamsLatency(long warmupMillis) {
        this.warmupMillis = warmupMillis;
    }

    @Override
    public synchronized void frameWritten(FrameIdentity frame, BgrImage overlay, FrameTimeline timeline) {
        if (firstOriginMs < 0) {
            firstOriginMs = timeline.originMs();
        }
        boolean steady = timeline.originMs() - firstOriginMs >= warmupMillis;
        long writtenMs = timeline.originMs() + timeline.endToEndMillis();
        firstWrittenMs = Math.min(firstWrittenMs, writtenMs);
        lastWrittenMs = Math.max(lastWrittenMs, writtenMs);
        written++;
        SourceKind kind = frame.sourceKind() == null ? SourceKind.FILE : frame.sourceKind();
        parts.computeIfAbsent(kind, k -> new LatencyDistribution[] {new LatencyDistribution(), new LatencyDistribution()})
                [steady ? 1 : 0].add(timeline.endToEndMillis(), timeline.stageMillis());
        long streamStart = firstOriginByStream.computeIfAbsent(frame.stream(), s -> timeline.originMs());
        if (kind == SourceKind.LIVE && timeline.originMs() - streamStart >= LiveRows.START_UP_MS) {
            livePastOwnStartUp.add(timeline.endToEndMillis(), timeline.stageMillis());
        }
    }

    /**
     * Live frames read {@link LiveRows#START_UP_MS} or more after their camera's first frame: without the burst ingest
     * reads at once while it opens a camera (an H.264 stream is probed for about 20 frames first).
     */
    synchronized LatencyDistribution livePastStartUp() {
        var out = new LatencyDistribution();
        out.addAll(livePastOwnStartUp);
        return out;
    }

    /**
     * The frames read by ingest at least {@code warmupMillis} after the first one ({@code steady}), or the
     * others. {@code warmupMillis} is this recorder's warm-up, or 0 for every frame (steady) or none.
     */
    synchronized LatencyDistribution sinceStart(long warmupMillis, boolean steady) {
        if (warmupMillis == 0) {
            return steady ? merged(null, true).with(merged(null, false)) : new LatencyDistribution();
        }
        if (warmupMillis != this.warmupMillis) {
            throw new IllegalArgumentException("latencies were split at " + this.warmupMillis + " ms after the start, not " + warmupMillis);
        }
        return merged(null, steady);
    }

    /** The steady-state frames of one source kind. */
    synchronized LatencyDistribution steady(SourceKind kind) {
        return merged(kind, true);
    }

    synchronized int frames() {
        return sinceStart(0, true).frames();
    }

    /**
     * Frames written per second between the first frame written and the last: the pipeline's throughput
     * once it runs, without its start-up (0 with fewer than two frames).
     */
    synchronized double writtenFps() {
        return written < 2 || lastWrittenMs <= firstWrittenMs ? 0 : (written - 1) * 1000.0 / (lastWrittenMs - firstWrittenMs);
    }

    /** The {@code p}-th percentile (0..100) in milliseconds over every frame, or -1 when no frame was written. */
    synchronized long percentile(double p) {
        return sinceStart(0, true).percentile(p);
    }

    /** The split by stage over every frame; a stage no frame had a time for reads -1. */
    synchronized StageSplit split() {
        return sinceStart(0, true).split();
    }

    /** One phase's frames of {@code kind} (null: every kind), as a new distribution. */
    private LatencyDistribution merged(SourceKind kind, boolean steady) {
        var out = new LatencyDistribution();
        parts.forEach((k, phases) -> {
            if (kind == null || kind == k) {
                out.addAll(phases[steady ? 1 : 0]);
            }
        });
        return out;
    }
}
