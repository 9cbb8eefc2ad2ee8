package org.segstream.segmenter;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The segmenter's metrics, in a Prometheus registry (the process's, or a private one in tests).
 * Labels are bounded: stream ids of admitted frames (as many as cameras), fixed reason words.
 */
public final class SegmenterStats {
    private final Counter segmented;
    private final Counter dropped;
    private final Counter deadLetters;
    private final Histogram batchSize;
    private final Histogram inference;
    private final Info device;
    private final Histogram queueWait;
    private final Histogram batchWait;
    private final Histogram maskEncode;
    /**
     * Dead letters per stream key, for run summaries only (not a metric label: a refused record's key
     * is untrusted). Bounded: past {@link #MAX_DEAD_LETTER_STREAMS} keys, new ones count under "(other)".
     */
    private final Map<String, Long> deadLettersByStream = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_DEAD_LETTER_STREAMS = 10_000;

    /** Metrics in a registry of their own, for tests. */
    public SegmenterStats() {
        this(new PrometheusRegistry());
    }

    public SegmenterStats(PrometheusRegistry registry) {
        segmented = Counter.builder().name("segstream_frames_segmented_total")
                .help("Frames whose mask the segmenter published").labelNames("stream").register(registry);
        dropped = Counter.builder().name("segstream_frames_dropped_total")
                .help("Frames the segmenter shed without a mask, by reason (stale: a live frame too old when its batch formed)")
                .labelNames("stream", "reason").register(registry);
        deadLetters = Counter.builder().name("segstream_dead_letters_total")
                .help("Records sent to the dead-letter topic (invalid: refused record; inference: the model failed)")
                .labelNames("reason").register(registry);
        batchSize = Histogram.builder().name("segstream_batch_size")
                .help("Frames per inference call").classicOnly()
                .classicUpperBounds(1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128, 256).register(registry);
        inference = Histogram.builder().name("segstream_inference_seconds")
                .help("Wall time of one inference call (a whole batch)").unit(Unit.SECONDS).classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).register(registry);
        double[] seconds = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
        queueWait = Histogram.builder().name("segstream_queue_wait_seconds")
                .help("From a frame's capture to the segmenter admitting it (ingest and Kafka queueing)")
                .unit(Unit.SECONDS).classicOnly().classicUpperBounds(seconds).register(registry);
        batchWait = Histogram.builder().name("segstream_batch_wait_seconds")
                .help("From admission to the frame's batch running (batch forming)")
                .unit(Unit.SECONDS).classicOnly().classicUpperBounds(seconds).register(registry);
        maskEncode = Histogram.builder().name("segstream_mask_encode_seconds")
                .help("Post-processing: encoding one mask as a palette PNG")
                .unit(Unit.SECONDS).classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1)
                .register(registry);
        device = Info.builder().name("segstream_inference_device")
                .help("The ONNX Runtime execution provider in use").labelNames("provider").register(registry);
    }

    void device(String provider) {
        device.setLabelValues(provider);
    }

    void admitted(long ageMillis) {
        queueWait.observe(Math.max(0, ageMillis) / 1000.0);
    }

    void batchWait(long millis) {
        batchWait.observe(Math.max(0, millis) / 1000.0);
    }

    void maskEncoded(long nanos) {
        maskEncode.observe(nanos / 1e9);
    }

    /** Reports the consumer lag measured by the Kafka Streams clients, read at scrape time. */
    void lagFrom(java.util.function.DoubleSupplier lag, PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("segstream_segmenter_lag_records")
                .help("Largest consumer lag of the segmenter on the frames topic, in records (Kafka client metric records-lag-max)")
                .callback(callback -> callback.call(lag.getAsDouble())).register(registry);
    }

    void segmented(String stream) {
        segmented.labelValues(stream).inc();
    }

    void deadLetter(String stream, String reason) {
        deadLetters.labelValues(reason).inc();
        String key = stream == null ? "(none)" : stream;
        if (!deadLettersByStream.containsKey(key) && deadLettersByStream.size() >= MAX_DEAD_LETTER_STREAMS) {
            key = "(other)";
        }
        deadLettersByStream.merge(key, 1L, Long::sum);
    }

    void dropped(String stream, String reason) {
        dropped.labelValues(stream, reason).inc();
    }

    void batch(int frames, long nanos) {
        batchSize.observe(frames);
        inference.observe(nanos / 1e9);
    }

    /** Frames whose mask was forwarded, per stream. */
    public Map<String, Long> segmentedByStream() {
        return byLabels(segmented.collect(), "stream");
    }

    /** Dead letters by reason ("invalid" or "inference"). */
    public Map<String, Long> deadLettersByReason() {
        return byLabels(deadLetters.collect(), "reason");
    }

    /** Records sent to the dead-letter topic, per record key. */
    public Map<String, Long> deadLettersByStream() {
        return new TreeMap<>(deadLettersByStream);
    }

    /** Frames shed without a mask, per stream (all reasons). */
    public Map<String, Long> shedByStream() {
        Map<String, Long> out = new TreeMap<>();
        for (CounterSnapshot.CounterDataPointSnapshot point : dropped.collect().getDataPoints()) {
            out.merge(point.getLabels().get("stream"), (long) point.getValue(), Long::sum);
        }
        return out;
    }

    /** Frames shed without a mask, keyed "stream/reason". */
    public Map<String, Long> droppedByStreamAndReason() {
        return byLabels(dropped.collect(), "stream", "reason");
    }

    public double meanBatchSize() {
        HistogramSnapshot.HistogramDataPointSnapshot point = batchSize.collect().getDataPoints().get(0);
        return point.getCount() == 0 ? 0 : point.getSum() / point.getCount();
    }

    public double meanInferenceMillisPerFrame() {
        double frames = batchSize.collect().getDataPoints().get(0).getSum();
        return frames == 0 ? 0 : inference.collect().getDataPoints().get(0).getSum() * 1000 / frames;
    }

    private static Map<String, Long> byLabels(CounterSnapshot snapshot, String... labels) {
        Map<String, Long> out = new TreeMap<>();
        for (CounterSnapshot.CounterDataPointSnapshot point : snapshot.getDataPoints()) {
            StringBuilder key = new StringBuilder();
            for (String label : labels) {
                key.append(key.length() == 0 ? "" : "/").append(point.getLabels().get(label));
            }
            out.put(key.toString(), (long) point.getValue());
        }
        return out;
    }
}
