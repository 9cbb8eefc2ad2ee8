package org.segstream.launcher;

import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.sink.SinkListener;

/** The end-to-end latency of every frame the sink wrote, all streams together: a run's percentiles. */
final class AllStreamsLatency implements SinkListener {
    private final LatencyRecorder recorder = new LatencyRecorder();

    @Override
    public synchronized void frameWritten(FrameIdentity frame, BgrImage overlay, long latencyMillis) {
        recorder.add(latencyMillis);
    }

    /** The {@code p}-th percentile (0..100) in milliseconds, or -1 when no frame was written. */
    synchronized long percentile(double p) {
        return recorder.percentile(p);
    }
}
