package org.segstream.launcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
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

    private final LatencyRecorder endToEnd = new LatencyRecorder();
    private final List<long[]> stagesThenTotal = new ArrayList<>();
    private final List<Long> originMs = new ArrayList<>();

    @Override
    public synchronized void frameWritten(FrameIdentity frame, BgrImage overlay, FrameTimeline timeline) {
        long[] stages = timeline.stageMillis();
        long[] row = Arrays.copyOf(stages, stages.length + 1);
        row[stages.length] = timeline.endToEndMillis();
        add(timeline.originMs(), row);
    }

    private void add(long origin, long[] row) {
        endToEnd.add(row[row.length - 1]);
        stagesThenTotal.add(row);
        originMs.add(origin);
    }

    /**
     * The frames read by ingest at least {@code warmupMillis} after the first one ({@code steady}), or the
     * others: a pipeline that has just started (consumer group joins, first fetches, cold code paths, the
     * encoder opening) is slower for a second or two, which says nothing about its steady-state latency.
     */
    synchronized AllStreamsLatency sinceStart(long warmupMillis, boolean steady) {
        var part = new AllStreamsLatency();
        long first = originMs.stream().mapToLong(Long::longValue).min().orElse(0);
        for (int i = 0; i < originMs.size(); i++) {
            if ((originMs.get(i) - first >= warmupMillis) == steady) {
                part.add(originMs.get(i), stagesThenTotal.get(i));
            }
        }
        return part;
    }

    synchronized int frames() {
        return stagesThenTotal.size();
    }

    /** The {@code p}-th percentile (0..100) in milliseconds, or -1 when no frame was written. */
    synchronized long percentile(double p) {
        return endToEnd.percentile(p);
    }

    /** The split by stage; a stage no frame had a time for reads -1. */
    synchronized StageSplit split() {
        int n = FrameTimeline.STAGES.size();
        long[] p50 = new long[n];
        long[] p99 = new long[n];
        for (int s = 0; s < n; s++) {
            var recorder = new LatencyRecorder();
            for (long[] row : stagesThenTotal) {
                if (row[s] >= 0) {
                    recorder.add(row[s]);
                }
            }
            p50[s] = recorder.percentile(50);
            p99[s] = recorder.percentile(99);
        }
        List<long[]> slowest = new ArrayList<>(stagesThenTotal);
        slowest.sort((a, b) -> Long.compare(b[n], a[n]));
        int k = Math.max(1, (int) Math.ceil(slowest.size() / 100.0));
        slowest = slowest.subList(0, Math.min(k, slowest.size()));
        double[] mean = new double[n];
        for (int s = 0; s < n; s++) {
            final int stage = s;
            mean[s] = slowest.stream().filter(r -> r[stage] >= 0).mapToLong(r -> r[stage]).average().orElse(-1);
        }
        long[] totals = slowest.stream().mapToLong(r -> r[n]).toArray();
        return new StageSplit(p50, p99, mean, totals, slowest.size());
    }
}
