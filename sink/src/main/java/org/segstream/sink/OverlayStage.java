package org.segstream.sink;

import java.io.IOException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.Mask;

/**
 * The last step of a mask: draws its overlay over its frame, captions it, writes it (and the mask)
 * into the session's files, and tells the metrics and the listener.
 */
final class OverlayStage {
    private final OverlayRenderer renderer;
    private final OverlayAnnotator annotator;
    private final SinkMetrics metrics;
    private final SinkListener listener;
    private final LongSupplier nanoClock;

    OverlayStage(SinkConfig config, SinkMetrics metrics, SinkListener listener, LongSupplier nanoClock) {
        this.renderer = new OverlayRenderer(config.opacity(), config.overlayClasses(), config.overlay().classNames());
        this.annotator = new OverlayAnnotator(config.legend(), config.caption(), renderer);
        this.metrics = metrics;
        this.listener = listener;
        this.nanoClock = nanoClock;
    }

    /** Writes the overlay of {@code pair}, the frame and mask of {@code mask}, read from {@code maskRecord} at {@code receivedMs}. */
    void write(TrackedStreams.Tracked tracked, StreamOutput output, FrameJoin.Pair pair, Mask mask,
               ConsumerRecord<String, ?> maskRecord, long receivedMs) throws IOException {
        FrameIdentity identity = mask.frame();
        long encodeStart = System.nanoTime();
        BgrImage overlay = renderer.render(pair.frame(), pair.mask());
        long latency = System.currentTimeMillis() - identity.latencyOriginMs(); // from ingest.ms, else capture.ms
        long now = nanoClock.getAsLong();
        tracked.rate.frame(now);
        if (annotator.draws()) {
            annotator.annotate(overlay, pair.mask(), String.format("%s  #%d  %.1f fps  latency %d ms", identity.stream(), identity.seq(),
                    tracked.rate.perSecond(now), latency));
        }
        output.write(identity, overlay, mask.png(), maskRecord.offset());
        metrics.encode.observe((System.nanoTime() - encodeStart) / 1e9);
        var timeline = FrameTimeline.of(mask, maskRecord.timestamp(), receivedMs, System.currentTimeMillis());
        metrics.written(identity.stream(), Math.max(0, timeline.endToEndMillis()) / 1000.0);
        listener.frameWritten(identity, overlay, timeline);
    }
}
