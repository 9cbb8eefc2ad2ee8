package org.segstream.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.launcher.LatencyRecorder;
import org.segstream.sink.FrameTimeline;
import org.segstream.sink.SinkListener;

/**
 * The end-to-end latency of every frame the sink wrote, all streams together, and how it splits by
 * stage ({@link FrameTimeline#STAGES}): a run's percentiles, and where the slowest frames spent theirs.
 */
final class AllStreamsLatency implements SinkListener {
    /** Per stage: p50 and p99 over all frames, and the mean over the slowest 1 % (by end-to-end latency). */
    record StageSplit(long[] p50, long[] p99, double[] slowestMean, long[] slowestEndToEnd, int slowestFrames) {
    }

    /** One written frame: when ingest read it, milliseconds per stage (-1: unknown), end to end. */
    private record Frame(long originMs, long[] stages, long endToEnd) {
    }

    private final List<Frame> frames = new ArrayList<>();

    @Override
    public synchronized void frameWritten(FrameIdentity frame, BgrImage overlay, FrameTimeline timeline) {
        frames.add(new Frame(timeline.originMs(), timeline.stageMillis(), timeline.endToEndMillis()));
    }

    /**
     * The frames read by ingest at least {@code warmupMillis} after the first one ({@code steady}), or the
     * others: a pipeline that has just started (consumer group joins, first fetches, cold code paths, the
     * encoder opening) is slower for a second or two, which says nothing about its steady-state latency.
     */
    synchronized AllStreamsLatency sinceStart(long warmupMillis, boolean steady) {
        var part = new AllStreamsLatency();
        long first = frames.stream().mapToLong(Frame::originMs).min().orElse(0);
        frames.stream().filter(f -> (f.originMs() - first >= warmupMillis) == steady).forEach(part.frames::add);
        return part;
    }

    synchronized int frames() {
        return frames.size();
    }

    /** The {@code p}-th percentile (0..100) in milliseconds, or -1 when no frame was written. */
    synchronized long percentile(double p) {
        var recorder = new LatencyRecorder();
        frames.forEach(f -> recorder.add(f.endToEnd()));
        return recorder.percentile(p);
    }

    /** The split by stage; a stage no frame had a time for reads -1. */
    synchronized StageSplit split() {
        int n = FrameTimeline.STAGES.size();
        long[] p50 = new long[n];
        long[] p99 = new long[n];
        for (int s = 0; s < n; s++) {
            var recorder = new LatencyRecorder();
            for (Frame f : frames) {
                if (f.stages()[s] >= 0) {
                    recorder.add(f.stages()[s]);
                }
            }
            p50[s] = recorder.percentile(50);
            p99[s] = recorder.percentile(99);
        }
        List<Frame> slowest = new ArrayList<>(frames);
        slowest.sort(Comparator.comparingLong(Frame::endToEnd).reversed());
        slowest = slowest.subList(0, Math.min(Math.max(1, (int) Math.ceil(slowest.size() / 100.0)), slowest.size()));
        double[] mean = new double[n];
        for (int s = 0; s < n; s++) {
            final int stage = s;
            mean[s] = slowest.stream().filter(f -> f.stages()[stage] >= 0).mapToLong(f -> f.stages()[stage]).average().orElse(-1);
        }
        return new StageSplit(p50, p99, mean, slowest.stream().mapToLong(Frame::endToEnd).toArray(), slowest.size());
    }
}
