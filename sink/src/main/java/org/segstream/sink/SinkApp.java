package org.segstream.sink;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.segstream.contract.BadRecordException;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.Headers;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.KafkaClientLag;
import org.segstream.contract.MaskPng;
import org.segstream.contract.RecordKind;
import org.segstream.contract.StreamEnd;
import org.segstream.video.VideoEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink service: reads masks (read_committed), fetches each mask's frame, writes the overlay
 * video and mask files, and closes a stream's files on its end-of-stream record.
 */
public final class SinkApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SinkApp.class);
    private static final Duration FRAME_FETCH_TIMEOUT = Duration.ofSeconds(60);
    private static final long MAX_PIXELS = 7680L * 4320;

    private final SinkConfig config;
    private final SinkListener listener;
    private final KafkaConsumer<String, byte[]> masks;
    private final FrameFetcher frames;
    private final OverlayRenderer renderer;
    private final OverlayAnnotator annotator;
    private final VideoEncoder.Settings videoSettings;
    private final Map<String, StreamOutput> outputs = new HashMap<>();
    /** Frames written per second over a sliding window, per open stream: the figure the overlay caption shows. */
    private final Map<String, FrameRate> rates = new HashMap<>();
    /** The masks partition each open stream's records come from (a stream is one key, so one partition). */
    private final Map<String, TopicPartition> streamPartitions = new HashMap<>();
    /** Per masks partition, the offset after the last record handled. */
    private final Map<TopicPartition, Long> handledUpTo = new HashMap<>();
    private final Thread loop;
    private final SinkMetrics metrics;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private SinkApp(SinkConfig config, SinkListener listener, PrometheusRegistry registry) {
        this.config = config;
        this.listener = listener;
        this.masks = new KafkaConsumer<>(consumerProperties(config), new StringDeserializer(), new ByteArrayDeserializer());
        this.frames = new FrameFetcher(config);
        this.renderer = new OverlayRenderer(config.opacity(), config.overlayClasses());
        this.annotator = new OverlayAnnotator(config.legend(), config.caption(), renderer);
        this.videoSettings = new VideoEncoder.Settings(VideoEncoder.Codec.H264, config.preset(), config.crf());
        this.loop = new Thread(this::run, "segstream-sink");
        this.metrics = new SinkMetrics(registry, () -> KafkaClientLag.maxRecords(masks.metrics()));
    }

    public static SinkApp start(SinkConfig config, SinkListener listener) {
        return start(config, listener, new PrometheusRegistry());
    }

    /** As {@link #start(SinkConfig, SinkListener)}, with the metrics registered in {@code registry} (the process's). */
    public static SinkApp start(SinkConfig config, SinkListener listener, PrometheusRegistry registry) {
        var app = new SinkApp(config, listener, registry);
        app.masks.subscribe(List.of(config.topics().masks()), app.new Handover());
        app.loop.start();
        log.info("sink reading {} into {}", config.topics().masks(), config.outDir().toAbsolutePath());
        return app;
    }

    static Map<String, Object> consumerProperties(SinkConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // masks are written in transactions
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "segstream-sink-masks");
        props.putAll(config.kafka());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }

    private void run() {
        try {
            while (running) {
                var batch = masks.poll(Duration.ofMillis(200));
                long receivedMs = System.currentTimeMillis();
                for (ConsumerRecord<String, byte[]> record : batch) {
                    handle(record, receivedMs);
                    handledUpTo.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                if (!batch.isEmpty()) {
                    commit();
                }
            }
        } catch (WakeupException stopping) {
            // close() asked us to stop
        } catch (Throwable e) {
            failure = e;
            log.error("sink stopped on an unexpected error", e);
        } finally {
            closeOutputs();
            try {
                if (failure == null) {
                    commit(); // every file is final now, so every handled record can be committed
                }
                masks.close(Duration.ofSeconds(5));
            } catch (RuntimeException ignored) {
                // already failing or closing
            }
            frames.close();
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, long receivedMs) throws IOException {
        try {
            if (StreamEnd.kindOf(record.headers()) == RecordKind.END) {
                endOfStream(StreamEnd.readFrom(record.headers()));
            } else {
                frame(record, receivedMs);
            }
        } catch (BadRecordException e) {
            metrics.skipped.labelValues("(invalid)", "invalid").inc(); // the key of a bad record is not a trusted label
            log.warn("skipping mask {}-{}@{} (key '{}'): {}", record.topic(), record.partition(), record.offset(), record.key(), e.getMessage());
        }
    }

    private void frame(ConsumerRecord<String, byte[]> maskRecord, long receivedMs) throws IOException {
        FrameIdentity identity = FrameIdentity.readFrom(maskRecord.headers());
        StreamOutput output = outputs.get(identity.stream());
        if (output == null || !output.session().equals(identity.session())) {
            if (output != null) {
                outputs.remove(identity.stream());
                output.close(); // a new session began without the old one's end record (e.g. a reconnect)
            }
            try {
                output = new StreamOutput(config.outDir(), identity, config.writeMasks(), videoSettings, config.segmentSeconds());
            } catch (IllegalArgumentException badName) {
                throw new BadRecordException(badName.getMessage());
            }
            outputs.put(identity.stream(), output);
            listener.sessionStarted(identity.stream(), identity.session(), output.dir());
            streamPartitions.put(identity.stream(), new TopicPartition(maskRecord.topic(), maskRecord.partition()));
        }
        if (output.alreadyWritten(identity.seq())) {
            metrics.skipped.labelValues(identity.stream(), "duplicate").inc();
            return; // redelivered after a restart
        }
        long gap = output.gapBefore(identity.seq());
        if (gap > 0) {
            // Masks of a session arrive in order, so a gap is frames the segmenter shed or dead-lettered.
            metrics.gaps.labelValues(identity.stream()).inc(gap);
            rateOf(identity.stream()).dropped(gap, System.nanoTime());
            listener.framesMissing(identity.stream(), gap, "gap");
            log.info("stream '{}': {} frame(s) missing before seq {} (shed or dead-lettered upstream)", identity.stream(), gap, identity.seq());
        }
        int partition = (int) Headers.getLong(maskRecord.headers(), Headers.FRAME_PARTITION);
        long offset = Headers.getLong(maskRecord.headers(), Headers.FRAME_OFFSET);
        ConsumerRecord<String, byte[]> frameRecord = frames.fetch(partition, offset, FRAME_FETCH_TIMEOUT);
        if (frameRecord == null) {
            metrics.skipped.labelValues(identity.stream(), "frame_gone").inc();
            rateOf(identity.stream()).dropped(1, System.nanoTime());
            listener.framesMissing(identity.stream(), 1, "frame_gone");
            log.warn("frame {} seq {} ({}@{}) is gone from the frames topic; its overlay is skipped",
                    identity.stream(), identity.seq(), partition, offset);
            return;
        }
        BgrImage frame = JpegCodec.decode(frameRecord.value(), MAX_PIXELS);
        ClassMap mask = MaskPng.decode(maskRecord.value());
        if (mask.width() != frame.width() || mask.height() != frame.height()) {
            throw new BadRecordException("mask is " + mask.width() + "x" + mask.height() + " but its frame is "
                    + frame.width() + "x" + frame.height());
        }
        long encodeStart = System.nanoTime();
        BgrImage overlay = renderer.render(frame, mask);
        long latency = System.currentTimeMillis() - identity.latencyOriginMs(); // from ingest.ms, else capture.ms
        FrameRate rate = rateOf(identity.stream());
        long now = System.nanoTime();
        rate.frame(now);
        if (annotator.draws()) {
            annotator.annotate(overlay, mask, String.format("%s  #%d  %.1f fps  latency %d ms", identity.stream(), identity.seq(),
                    rate.perSecond(now), latency));
        }
        output.write(identity, overlay, maskRecord.value(), maskRecord.offset());
        metrics.encode.observe((System.nanoTime() - encodeStart) / 1e9);
        var timeline = FrameTimeline.of(identity, maskRecord, receivedMs, System.currentTimeMillis());
        metrics.written.labelValues(identity.stream()).inc();
        metrics.latency.labelValues(identity.stream()).observe(Math.max(0, timeline.endToEndMillis()) / 1000.0);
        listener.frameWritten(identity, overlay, timeline);
    }

    /** The stream's sliding-window rates: the same figure the live page shows. */
    private FrameRate rateOf(String stream) {
        return rates.computeIfAbsent(stream, s -> new FrameRate());
    }

    private void endOfStream(StreamEnd end) throws IOException {
        StreamOutput output = outputs.get(end.stream());
        long written = 0;
        if (output != null && output.session().equals(end.session())) {
            outputs.remove(end.stream());
            streamPartitions.remove(end.stream());
            rates.remove(end.stream());
            output.close();
            written = output.framesWritten();
        }
        log.info("stream '{}' session {} ended: {} of {} frames written", end.stream(), end.session(), written, end.frameCount());
        listener.streamEnded(end, written);
    }

    /**
     * Commits, per partition, the offset after the last handled record, but never past the first mask
     * of a file still open: a crash then replays that file from its start (see {@link StreamOutput}).
     */
    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        handledUpTo.forEach((partition, next) -> {
            long commit = next;
            for (Map.Entry<String, StreamOutput> open : outputs.entrySet()) {
                long since = open.getValue().openSinceOffset();
                if (since >= 0 && partition.equals(streamPartitions.get(open.getKey()))) {
                    commit = Math.min(commit, since);
                }
            }
            offsets.put(partition, new OffsetAndMetadata(commit));
        });
        if (!offsets.isEmpty()) {
            masks.commitSync(offsets);
        }
    }

    /** When partitions move to another sink instance, it rebuilds their open files: drop ours unfinished. */
    private final class Handover implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            commit();
            for (TopicPartition partition : revoked) {
                handledUpTo.remove(partition);
                var streams = streamPartitions.entrySet().stream().filter(e -> e.getValue().equals(partition)).map(Map.Entry::getKey).toList();
                for (String stream : streams) {
                    StreamOutput output = outputs.remove(stream);
                    streamPartitions.remove(stream);
                    try {
                        if (output != null) {
                            output.abandon();
                        }
                    } catch (IOException e) {
                        log.warn("dropping the open overlay of '{}': {}", stream, e.getMessage());
                    }
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            // nothing to set up: files are opened by the first mask of a stream
        }
    }

    private void closeOutputs() {
        for (StreamOutput output : outputs.values()) {
            try {
                output.close();
            } catch (IOException | RuntimeException e) {
                log.warn("closing an overlay file: {}", e.getMessage());
            }
        }
        outputs.clear();
        streamPartitions.clear();
    }

    /** Non-null if the sink stopped on an error. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        masks.wakeup();
        try {
            loop.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
