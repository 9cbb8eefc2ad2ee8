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
import java.util.function.IntSupplier;

/**
 * The segmenter's metrics, in a Prometheus registry (the process's, or a private one in tests), and
 * per-stream counts for run summaries. Labels are bounded: a {@code stream} label is given by
 * {@link ActiveStreams} (at most its label cap, the rest under "(other)", series removed when a stream
 * is forgotten); reasons are fixed words. The summary counts are bounded by {@link BoundedTally}.
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
    /** Streams counted by name in run summaries; more count under "(other)". */
    private static final int SUMMARY_STREAMS = 10_000;
    private static final int SUMMARY_STREAM_CHARS = 256;
    private final BoundedTally segmentedByStream = new BoundedTally(SUMMARY_STREAMS, SUMMARY_STREAM_CHARS);
    private final BoundedTally shedByStream = new BoundedTally(SUMMARY_STREAMS, SUMMARY_STREAM_CHARS);
    private final BoundedTally droppedByStreamAndReason = new BoundedTally(SUMMARY_STREAMS, SUMMARY_STREAM_CHARS + 32);
    /** Dead letters per record key (not a metric label: a refused record's key is untrusted). */
    private final BoundedTally deadLettersByStream = new BoundedTally(SUMMARY_STREAMS, SUMMARY_STREAM_CHARS);
    private volatile IntSupplier activeStreams = () -> 0;

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
                .help("Records sent to the dead-letter topic (invalid: refused record; too_many_streams: a new stream while "
                        + "SEGSTREAM_MAX_STREAMS are active; inference: the model failed; error: anything else that failed "
                        + "while handling the record)")
                .labelNames("reason").register(registry);
        GaugeWithCallback.builder().name("segstream_active_streams")
                .help("Streams the segmenter keeps state for (a valid frame within SEGSTREAM_STREAM_IDLE_SECONDS), at most SEGSTREAM_MAX_STREAMS")
                .callback(callback -> callback.call(activeStreams.getAsInt())).register(registry);
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

    /** Reports the number of active streams, read at scrape time. */
    void activeStreamsFrom(IntSupplier count) {
        activeStreams = count;
    }

    /** Streams the segmenter keeps state for now. */
    public int activeStreams() {
        return activeStreams.getAsInt();
    }

    /** A frame of {@code stream} got its mask; {@code label} is its metric label ({@link ActiveStreams#label}). */
    void segmented(String stream, String label) {
        segmented.labelValues(label).inc();
        segmentedByStream.add(stream);
    }

    /** A record whose key is {@code key} went to the dead-letter topic; {@code reason} is a fixed word. */
    void deadLetter(String key, String reason) {
        deadLetters.labelValues(reason).inc();
        deadLettersByStream.add(key);
    }

    /** A frame of {@code stream} was shed; {@code label} is its metric label, {@code reason} a fixed word. */
    void dropped(String stream, String label, String reason) {
        dropped.labelValues(label, reason).inc();
        shedByStream.add(stream);
        droppedByStreamAndReason.add(stream + "/" + reason);
    }

    /** Removes a forgotten stream's metric series (its counts in run summaries stay). */
    void forgetStream(String stream) {
        segmented.remove(stream);
        dropped.removeIf(labels -> labels.get(0).equals(stream));
    }

    void batch(int frames, long nanos) {
        batchSize.observe(frames);
        inference.observe(nanos / 1e9);
    }

    /** Frames whose mask was forwarded, per stream, since the start. */
    public Map<String, Long> segmentedByStream() {
        return segmentedByStream.snapshot();
    }

    /** Dead letters by reason ("invalid" or "inference"). */
    public Map<String, Long> deadLettersByReason() {
        return byLabels(deadLetters.collect(), "reason");
    }

    /** Records sent to the dead-letter topic, per record key. */
    public Map<String, Long> deadLettersByStream() {
        return deadLettersByStream.snapshot();
    }

    /** Frames shed without a mask, per stream (all reasons). */
    public Map<String, Long> shedByStream() {
        return shedByStream.snapshot();
    }

    /** Frames shed without a mask, keyed "stream/reason". */
    public Map<String, Long> droppedByStreamAndReason() {
        return droppedByStreamAndReason.snapshot();
    }

    /** The values of the {@code stream} label on the segmented and dropped series now exported. */
    public java.util.Set<String> streamLabels() {
        var labels = new java.util.TreeSet<String>();
        for (CounterSnapshot.CounterDataPointSnapshot point : segmented.collect().getDataPoints()) {
            labels.add(point.getLabels().get("stream"));
        }
        for (CounterSnapshot.CounterDataPointSnapshot point : dropped.collect().getDataPoints()) {
            labels.add(point.getLabels().get("stream"));
        }
        return labels;
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
