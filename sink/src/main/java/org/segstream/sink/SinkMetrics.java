package org.segstream.sink;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.DoubleSupplier;
import org.segstream.contract.Untrusted;

/**
 * The sink's metrics: frames written, end-to-end latency per stream, encode time, skipped masks, lag,
 * streams tracked. A {@code stream} label only ever holds a stream the sink tracks (records of any
 * other stream count under {@link SinkApp#UNTRACKED}), and {@link #forget} removes a stream's series
 * when the sink stops tracking it, so the series stay as bounded as the streams. A label value is the
 * id as {@link Untrusted#echo} shows it: control characters escaped.
 */
final class SinkMetrics {
    /**
     * End-to-end latency buckets: from 10 ms to 10 s each bound is at most 1.67 times the one before (1, 1.5, 2, 3, 5,
     * 7.5 per decade), so p50 and p99 read anywhere in that range are within one such step; then coarse up to 5
     * minutes, for a backlog. 23 buckets a stream: finer ones cost /metrics size for every camera (100 streams ~ 250 KB).
     */
    static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75,
            1, 1.5, 2, 3, 5, 7.5, 10, 30, 60, 300};

    private final Counter written;
    private final Counter skipped;
    private final Counter gaps;
    private final Counter evicted;
    private final Histogram latency;
    final Histogram encode;

    SinkMetrics(PrometheusRegistry registry, DoubleSupplier lag, DoubleSupplier trackedStreams, DoubleSupplier openFiles) {
        written = Counter.builder().name("segstream_frames_written_total")
                .help("Frames whose overlay the sink wrote").labelNames("stream").register(registry);
        skipped = Counter.builder().name("segstream_frames_skipped_total")
                .help("Masks the sink did not render, by reason (duplicate, frame_gone, no_such_frame, invalid, bad_name,"
                        + " too_many_streams, write_failed, error); stream=\"" + SinkApp.UNTRACKED + "\" where the record's"
                        + " stream is not one the sink tracks")
                .labelNames("stream", "reason").register(registry);
        gaps = Counter.builder().name("segstream_sequence_gaps_total")
                .help("Frames missing from a stream's mask sequence (shed or dead-lettered upstream)")
                .labelNames("stream").register(registry);
        evicted = Counter.builder().name("segstream_sink_streams_evicted_total")
                .help("Streams the sink stopped tracking: idle (no record for SEGSTREAM_STREAM_IDLE_SECONDS; an open session is"
                        + " closed as incomplete) or capacity (made room for a new stream under SEGSTREAM_MAX_STREAMS)")
                .labelNames("reason").register(registry);
        latency = Histogram.builder().name("segstream_end_to_end_latency_seconds")
                .help("From a frame's capture to its overlay being written by the sink").unit(Unit.SECONDS).classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS).labelNames("stream").register(registry);
        encode = Histogram.builder().name("segstream_overlay_encode_seconds")
                .help("Blending one overlay and encoding it to H.264").unit(Unit.SECONDS).classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5).register(registry);
        GaugeWithCallback.builder().name("segstream_sink_lag_records")
                .help("Largest consumer lag of the sink on the masks topic, in records (Kafka client metric records-lag-max)")
                .callback(callback -> callback.call(lag.getAsDouble())).register(registry);
        GaugeWithCallback.builder().name("segstream_sink_streams")
                .help("Streams the sink tracks (at most SEGSTREAM_MAX_STREAMS)")
                .callback(callback -> callback.call(trackedStreams.getAsDouble())).register(registry);
        GaugeWithCallback.builder().name("segstream_sink_open_files")
                .help("Overlay files the sink has open, one at most per tracked stream")
                .callback(callback -> callback.call(openFiles.getAsDouble())).register(registry);
    }

    private static String label(String stream) {
        return Untrusted.echo(stream);
    }

    void written(String stream, double latencySeconds) {
        written.labelValues(label(stream)).inc();
        latency.labelValues(label(stream)).observe(latencySeconds);
    }

    /** One record skipped; {@code stream} null when the record's stream is not one the sink tracks. */
    void skipped(String stream, SkipReason reason) {
        skipped.labelValues(stream == null ? SinkApp.UNTRACKED : label(stream), reason.label()).inc();
    }

    void gap(String stream, long frames) {
        gaps.labelValues(label(stream)).inc(frames);
    }

    void evicted(String reason) {
        evicted.labelValues(reason).inc();
    }

    /** Removes every series of {@code stream}: the sink no longer tracks it. */
    void forget(String stream) {
        String label = label(stream);
        written.remove(label);
        gaps.remove(label);
        latency.remove(label);
        for (SkipReason reason : SkipReason.values()) {
            skipped.remove(label, reason.label());
        }
    }
}
