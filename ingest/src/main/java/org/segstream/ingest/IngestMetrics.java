package org.segstream.ingest;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Ingest's metrics: frames per stream, when each stream's last frame was published (a camera's
 * up/down), decode, JPEG encode and produce (send to broker ack) times.
 */
public final class IngestMetrics {
    private static final double[] SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    final Counter frames;
    final Counter sourceErrors;
    final Counter decoderStalls;
    final Gauge lastFrame;
    final Histogram decode;
    final Histogram encode;
    final Histogram produce;

    /** Metrics in a registry of their own, for tests and callers without an endpoint. */
    public IngestMetrics() {
        this(new PrometheusRegistry());
    }

    public IngestMetrics(PrometheusRegistry registry) {
        frames = Counter.builder().name("segstream_frames_ingested_total")
                .help("Frames ingest published to the frames topic").labelNames("stream").register(registry);
        sourceErrors = Counter.builder().name("segstream_source_errors_total")
                .help("Sources that could not be opened or read to their end").labelNames("stream").register(registry);
        decoderStalls = Counter.builder().name("segstream_decoder_stalls_total")
                .help("Sessions ended by the no-frame watchdog: the decoder produced no frame for the read timeout").labelNames("stream").register(registry);
        lastFrame = Gauge.builder().name("segstream_last_frame_timestamp_seconds")
                .help("Unix time when ingest published the stream's last frame; a live source that has published none yet"
                        + " counts from when ingest started reading it (so time() minus this is how long a camera has been silent)")
                .unit(Unit.SECONDS).labelNames("stream", "source_kind").register(registry);
        decode = seconds(registry, "segstream_decode_seconds", "Decoding one frame to BGR (FFmpeg)");
        encode = seconds(registry, "segstream_jpeg_encode_seconds", "Encoding one frame as JPEG");
        produce = seconds(registry, "segstream_produce_seconds", "From sending a frame to the broker's acknowledgement");
    }

    /** Records that {@code stream} ({@code live} or {@code file}) published a frame, or started waiting for its first, at {@code epochMillis}. */
    void lastFrame(String stream, org.segstream.contract.SourceKind kind, long epochMillis) {
        lastFrame.labelValues(stream, kind.wire()).set(epochMillis / 1000.0);
    }

    static Histogram seconds(PrometheusRegistry registry, String name, String help) {
        return Histogram.builder().name(name).help(help).unit(Unit.SECONDS).classicOnly()
                .classicUpperBounds(SECONDS).register(registry);
    }
}
