package org.segstream.sink;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.segstream.contract.BadRecordException;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.Frame;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramePosition;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.KafkaClientLag;
import org.segstream.contract.Mask;
import org.segstream.contract.MaskPng;
import org.segstream.contract.MasksTopicRecord;
import org.segstream.contract.RecordKind;
import org.segstream.contract.ShedMarker;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.contract.Unreadable;
import org.segstream.contract.Untrusted;
import org.segstream.video.VideoEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink service: reads masks (read_committed), fetches each mask's frame, writes the overlay
 * video and mask files, and closes a stream's files on its end-of-stream record.
 *
 * <p>A record's failure belongs to the record: whatever goes wrong while handling one (a bad header,
 * an id that cannot name a folder, a frame location that does not exist, an image that does not
 * decode, a size the encoder refuses) ends as a counted skip ({@code segstream_frames_skipped_total})
 * and a log line, and the loop goes on. Only a failure of what the sink depends on stops it (see
 * {@link EnvironmentFailure}): the output folder cannot be written, the frames topic does not
 * answer. Then {@link #healthy()} turns false and the record is not committed.
 *
 * <p>What the sink keeps per stream is bounded by {@link StreamLimits} ({@link TrackedStreams}); a
 * session idle past the timeout is closed as incomplete, so its open file no longer holds the
 * committed offset back.
 */
public final class SinkApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SinkApp.class);
    /** The {@code stream} label of a skipped record whose stream the sink does not track: its id is not a trusted label value. */
    static final String UNTRACKED = "(invalid)";
    private static final Duration FRAME_FETCH_TIMEOUT = Duration.ofSeconds(60);
    private static final long MAX_PIXELS = 7680L * 4320;
    /** How often idle streams are looked for. */
    private static final Duration MAINTENANCE_EVERY = Duration.ofSeconds(1);
    /** How often old recordings are pruned (SEGSTREAM_RETENTION_*): a walk of the output folder, four levels deep. */
    private static final Duration PRUNE_EVERY = Duration.ofSeconds(10);

    private final SinkConfig config;
    private final SinkListener listener;
    private final Consumer<String, MasksTopicRecord> masks;
    private final FrameFetcher<FramesTopicRecord> frames;
    private final OverlayRenderer renderer;
    private final OverlayAnnotator annotator;
    private final VideoEncoder.Settings videoSettings;
    private final TrackedStreams streams;
    private final RecordingRetention retention;
    private long lastPruneNanos;
    /** Per masks partition, the offset after the last record handled. */
    private final Map<TopicPartition, Long> handledUpTo = new HashMap<>();
    private final OutputDisk disk;
    private final SkipLog skipLog;
    private final LongSupplier nanoClock;
    private final Thread loop;
    private final SinkMetrics metrics;
    /** Copies of the table's sizes for the metrics thread (the table itself belongs to the sink's thread). */
    private final AtomicLong trackedCount = new AtomicLong();
    private final AtomicLong openFileCount = new AtomicLong();
    private long lastMaintenanceNanos;
    private volatile boolean running = true;
    private volatile Throwable failure;

    private SinkApp(SinkConfig config, SinkListener listener, PrometheusRegistry registry, Consumer<String, MasksTopicRecord> masks,
                    FrameFetcher<FramesTopicRecord> frames, LongSupplier nanoClock) {
        this.config = config;
        this.listener = listener;
        this.masks = masks;
        this.frames = frames;
        this.nanoClock = nanoClock;
        this.renderer = new OverlayRenderer(config.opacity(), config.overlayClasses());
        this.annotator = new OverlayAnnotator(config.legend(), config.caption(), renderer);
        this.videoSettings = new VideoEncoder.Settings(VideoEncoder.Codec.H264, config.preset(), config.crf());
        this.streams = new TrackedStreams(config.limits(), nanoClock);
        RetentionLimits keep = config.retention();
        // Pruned on this loop's thread, between polls: the set of open sessions is the loop's own state.
        this.retention = keep.keepsEverything() ? null
                : new RecordingRetention(config.outDir(), keep.maxAge(), keep.maxBytes(), path -> streams.openSessionDirs().contains(path));
        this.disk = new OutputDisk(config.outDir());
        this.skipLog = new SkipLog(log, nanoClock);
        this.loop = new Thread(this::run, "segstream-sink");
        this.metrics = new SinkMetrics(registry, () -> KafkaClientLag.maxRecords(masks.metrics()), trackedCount::get,
                openFileCount::get);
        this.lastMaintenanceNanos = nanoClock.getAsLong();
    }

    public static SinkApp start(SinkConfig config, SinkListener listener) {
        return start(config, listener, new PrometheusRegistry());
    }

    /** As {@link #start(SinkConfig, SinkListener)}, with the metrics registered in {@code registry} (the process's). */
    public static SinkApp start(SinkConfig config, SinkListener listener, PrometheusRegistry registry) {
        return start(config, listener, registry,
                new KafkaConsumer<>(consumerProperties(config), Topics.MASKS.keySerde().deserializer(),
                        Topics.MASKS.valueSerde().deserializer()),
                FrameFetcher.of(config), System::nanoTime);
    }

    /** As {@link #start(SinkConfig, SinkListener, PrometheusRegistry)}, reading through the given consumers, on {@code nanoClock} (tests). */
    static SinkApp start(SinkConfig config, SinkListener listener, PrometheusRegistry registry, Consumer<String, MasksTopicRecord> masks,
                         FrameFetcher<FramesTopicRecord> frames, LongSupplier nanoClock) {
        var app = new SinkApp(config, listener, registry, masks, frames, nanoClock);
        app.masks.subscribe(List.of(config.topics().masks()), app.new Handover());
        app.loop.start();
        log.info("sink reading {} into {} (at most {} streams, idle after {} s)", config.topics().masks(),
                config.outDir().toAbsolutePath(), config.limits().maxStreams(), config.limits().idle().toSeconds());
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
                for (ConsumerRecord<String, MasksTopicRecord> record : batch) {
                    handle(record, receivedMs);
                    handledUpTo.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                boolean closedSome = maintain();
                if (!batch.isEmpty() || closedSome) {
                    commit();
                }
                trackedCount.set(streams.size());
                openFileCount.set(streams.openFiles());
            }
        } catch (WakeupException stopping) {
            // close() asked us to stop
        } catch (Throwable e) {
            failure = e;
            log.error("sink stopped: {}", e.getMessage(), e);
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

    /** Handles one record; whatever goes wrong with it ends as a counted skip, unless the sink's environment failed. */
    private void handle(ConsumerRecord<String, MasksTopicRecord> record, long receivedMs) {
        try {
            MasksTopicRecord value = record.value();
            if (value instanceof Unreadable unreadable) {
                throw new BadRecordException(unreadable.reason());
            } else if (value instanceof StreamEnd end) {
                endOfStream(end);
            } else {
                frame(record, receivedMs);
            }
        } catch (EnvironmentFailure e) {
            throw e;
        } catch (SkipException e) {
            skipped(record, e.reason(), e.getMessage());
        } catch (BadRecordException e) {
            skipped(record, SkipReason.INVALID, e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            requireWritableDisk(e);
            skipped(record, SkipReason.WRITE_FAILED, e.toString());
        } catch (RuntimeException e) {
            log.debug("mask {}-{}@{} failed", record.topic(), record.partition(), record.offset(), e);
            skipped(record, SkipReason.ERROR, e.toString());
        }
    }

    /** After a write failed: if the output folder cannot be written either, the disk is at fault, and the sink stops. */
    private void requireWritableDisk(Exception e) {
        if (!disk.writable()) {
            throw new EnvironmentFailure("cannot write to the output folder " + disk.dir().toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private void skipped(ConsumerRecord<String, MasksTopicRecord> record, SkipReason reason, String why) {
        String stream = streamOf(record.value());
        boolean tracked = stream != null && streams.contains(stream);
        metrics.skipped(tracked ? stream : null, reason);
        if (tracked && isMask(record.value())) {
            streams.seen(stream).rate.dropped(1, nanoClock.getAsLong());
            listener.framesMissing(stream, 1, reason.label());
        }
        skipLog.skipped(reason, "skipping mask " + record.topic() + "-" + record.partition() + "@" + record.offset() + " of stream '"
                + Untrusted.echo(stream == null ? record.key() : stream) + "' (" + reason.label() + "): " + Untrusted.echo(why));
    }

    /** The record's stream as far as it could be read (null if not at all): untrusted, for labels and messages only. */
    private static String streamOf(MasksTopicRecord value) {
        if (value instanceof Mask mask) {
            return mask.frame().stream();
        }
        if (value instanceof ShedMarker shed) {
            return shed.frame().stream();
        }
        if (value instanceof StreamEnd end) {
            return end.stream();
        }
        return value instanceof Unreadable unreadable ? unreadable.stream() : null;
    }

    /** A mask, or what claims to be one: a skipped one is a frame missing from its stream. */
    private static boolean isMask(MasksTopicRecord value) {
        return value instanceof Mask || value instanceof Unreadable unreadable && unreadable.kind() == RecordKind.FRAME;
    }

    private void frame(ConsumerRecord<String, MasksTopicRecord> maskRecord, long receivedMs) throws IOException {
        FrameIdentity identity = maskRecord.value() instanceof ShedMarker shed ? shed.frame() : ((Mask) maskRecord.value()).frame();
        var partition = new TopicPartition(maskRecord.topic(), maskRecord.partition());
        TrackedStreams.Tracked tracked = track(identity.stream());
        StreamOutput output = tracked.output;
        if (output != null && output.hasOpenFile() && !partition.equals(tracked.partition)) {
            // The open file's first mask is on its partition: commits there are held back for it, not here.
            throw new BadRecordException("stream's masks arrive on " + partition + " while its open session's come from "
                    + tracked.partition);
        }
        if (output == null || !output.session().equals(identity.session())) {
            if (output != null) {
                tracked.output = null;
                output.close(); // a new session began without the old one's end record (e.g. a reconnect)
            }
            try {
                output = new StreamOutput(config.outDir(), identity, config.writeMasks(), videoSettings, config.segmentSeconds());
            } catch (IllegalArgumentException badName) {
                throw new SkipException(SkipReason.BAD_NAME, badName.getMessage());
            }
            tracked.output = output;
            tracked.partition = partition;
            listener.sessionStarted(identity.stream(), identity.session(), output.dir());
        }
        if (output.alreadyWritten(identity.seq())) {
            metrics.skipped(identity.stream(), SkipReason.DUPLICATE);
            return; // redelivered after a restart
        }
        long gap = output.gapBefore(identity.seq());
        output.handling(identity.seq()); // should this frame be skipped below, it counts as skipped, not as a gap later
        if (gap > 0) {
            // Masks of a session arrive in order and shed frames have markers, so a gap is frames dead-lettered (or lost).
            metrics.gap(identity.stream(), gap);
            tracked.rate.dropped(gap, nanoClock.getAsLong());
            listener.framesMissing(identity.stream(), gap, "gap");
            log.info("stream '{}': {} frame(s) missing before seq {} (shed or dead-lettered upstream)", Untrusted.echo(identity.stream()),
                    gap, identity.seq());
        }
        if (!(maskRecord.value() instanceof Mask mask)) {
            // The segmenter shed this live frame: no overlay, but it is accounted for (and no gap for the next frame).
            tracked.rate.dropped(1, nanoClock.getAsLong());
            listener.framesMissing(identity.stream(), 1, "shed");
            return;
        }
        FramePosition at = mask.framePosition();
        ConsumerRecord<String, FramesTopicRecord> frameRecord = frames.fetch(at.partition(), at.offset(), FRAME_FETCH_TIMEOUT);
        if (frameRecord == null) {
            throw new SkipException(SkipReason.FRAME_GONE, "frame seq " + identity.seq() + " (" + at.partition() + "@" + at.offset()
                    + ") is gone from the frames topic; its overlay is skipped");
        }
        BgrImage frame = JpegCodec.decode(imageOf(frameRecord.value(), at), MAX_PIXELS);
        PngHeader.requireSize(mask.png(), frame.width(), frame.height()); // before decoding: a forged size would allocate
        ClassMap classes = MaskPng.decode(mask.png());
        if (classes.width() != frame.width() || classes.height() != frame.height()) {
            throw new BadRecordException("mask is " + classes.width() + "x" + classes.height() + " but its frame is "
                    + frame.width() + "x" + frame.height());
        }
        long encodeStart = System.nanoTime();
        BgrImage overlay = renderer.render(frame, classes);
        long latency = System.currentTimeMillis() - identity.latencyOriginMs(); // from ingest.ms, else capture.ms
        long now = nanoClock.getAsLong();
        tracked.rate.frame(now);
        if (annotator.draws()) {
            annotator.annotate(overlay, classes, String.format("%s  #%d  %.1f fps  latency %d ms", identity.stream(), identity.seq(),
                    tracked.rate.perSecond(now), latency));
        }
        output.write(identity, overlay, mask.png(), maskRecord.offset());
        metrics.encode.observe((System.nanoTime() - encodeStart) / 1e9);
        var timeline = FrameTimeline.of(mask, maskRecord.timestamp(), receivedMs, System.currentTimeMillis());
        metrics.written(identity.stream(), Math.max(0, timeline.endToEndMillis()) / 1000.0);
        listener.frameWritten(identity, overlay, timeline);
    }

    /** The JPEG of the mask's frame; throws if the record there is no frame. */
    private static byte[] imageOf(FramesTopicRecord record, FramePosition at) {
        if (record instanceof Frame frame) {
            return frame.image();
        }
        String what = record instanceof Unreadable unreadable ? "an unreadable record (" + unreadable.reason() + ")" : "an end record";
        throw new BadRecordException("the mask's frame " + at.partition() + "@" + at.offset() + " is " + what);
    }

    /**
     * The stream's entry, made if needed. An id that cannot name a folder never takes a place; past
     * the cap, a new id is refused unless a stream without an open file can make room.
     */
    private TrackedStreams.Tracked track(String stream) {
        if (!streams.contains(stream)) {
            try {
                OutputNames.stream(stream);
            } catch (IllegalArgumentException badName) {
                throw new SkipException(SkipReason.BAD_NAME, badName.getMessage());
            }
        }
        TrackedStreams.Admission admission = streams.admit(stream);
        if (admission.madeRoom() != null) {
            forget(admission.madeRoom(), "capacity", null);
        }
        if (admission.tracked() == null) {
            throw new SkipException(SkipReason.TOO_MANY_STREAMS, "the sink already tracks " + config.limits().maxStreams()
                    + " streams, each with an open file (SEGSTREAM_MAX_STREAMS); a new stream's masks are skipped until one of them"
                    + " ends or is idle for " + config.limits().idle().toSeconds() + " s");
        }
        return admission.tracked();
    }

    private void endOfStream(StreamEnd end) throws IOException {
        TrackedStreams.Tracked tracked = streams.seen(end.stream());
        StreamOutput output = tracked == null ? null : tracked.output;
        long written = 0;
        if (output != null && output.session().equals(end.session())) {
            tracked.output = null;
            output.close();
            written = output.framesWritten();
            log.info("stream '{}' session {} ended: {} of {} frames written", Untrusted.echo(end.stream()), Untrusted.echo(end.session()),
                    written, end.frameCount());
        } else {
            log.debug("stream '{}' session {} ended; no file of it is open", Untrusted.echo(end.stream()), Untrusted.echo(end.session()));
        }
        listener.streamEnded(end, written);
    }

    /** Once a second: forgets idle streams, closing their open sessions as incomplete. True if a file was closed. */
    private boolean maintain() {
        long now = nanoClock.getAsLong();
        if (now - lastMaintenanceNanos < MAINTENANCE_EVERY.toNanos()) {
            return false;
        }
        lastMaintenanceNanos = now;
        skipLog.flush();
        boolean closed = false;
        String why = "no record for " + config.limits().idle().toSeconds() + " s (SEGSTREAM_STREAM_IDLE_SECONDS)";
        for (TrackedStreams.Evicted idle : streams.takeIdle()) {
            closed |= forget(idle, "idle", why);
        }
        if (retention != null && (lastPruneNanos == 0 || now - lastPruneNanos >= PRUNE_EVERY.toNanos())) {
            lastPruneNanos = now;
            pruneRecordings();
        }
        return closed;
    }

    /** Deletes the oldest finished recordings past the retention limits; a failure is logged, never fatal. */
    private void pruneRecordings() {
        try {
            RecordingRetention.Pruned pruned = retention.prune(System.currentTimeMillis());
            if (pruned.files() > 0) {
                log.info("retention: deleted {} file(s), {} MB, and {} folder(s) of old recordings; {} MB kept in {}", pruned.files(),
                        pruned.bytes() / 1_000_000, pruned.folders(), pruned.bytesKept() / 1_000_000, config.outDir());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("retention: could not prune old recordings in {}: {}", config.outDir(), e.toString());
        }
    }

    /**
     * Lets go of a stream the table no longer tracks: its open session, if any, is closed as incomplete
     * ({@code why} says why; a stream evicted to make room has none open), its series leave the
     * metrics and the listener forgets it. True if a file was closed.
     */
    private boolean forget(TrackedStreams.Evicted evicted, String reason, String why) {
        StreamOutput output = evicted.tracked().output;
        boolean hadFile = output != null && output.hasOpenFile();
        if (hadFile) {
            try {
                output.closeIncomplete(why);
            } catch (IOException | UncheckedIOException e) {
                requireWritableDisk(e);
                log.warn("closing the overlay of stream '{}' failed: {}", Untrusted.echo(evicted.stream()), Untrusted.echo(e.toString()));
            }
            log.warn("stream '{}' session {}: {} and no end record; its overlay is finalised as incomplete ({} frame(s) written"
                            + " this run; see INCOMPLETE in {})", Untrusted.echo(evicted.stream()), Untrusted.echo(output.session()),
                    why, output.framesWritten(), output.dir());
        }
        metrics.forget(evicted.stream());
        metrics.evicted(reason);
        listener.streamEvicted(evicted.stream());
        return hadFile;
    }

    /**
     * Commits, per partition, the offset after the last handled record, but never past the first mask
     * of a file still open: a crash then replays that file from its start (see {@link StreamOutput}).
     */
    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        handledUpTo.forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(streams.committable(partition, next))));
        if (offsets.isEmpty()) {
            return;
        }
        try {
            masks.commitSync(offsets);
        } catch (CommitFailedException | RetriableException e) {
            log.warn("committing the sink's offsets failed ({}); the next commit tries again", e.getMessage()); // replays, never loses
        }
    }

    /** When partitions move to another sink instance, it rebuilds their open files: drop ours unfinished. */
    private final class Handover implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            commit();
            for (TopicPartition partition : revoked) {
                handledUpTo.remove(partition);
                for (TrackedStreams.Evicted moved : streams.takePartition(partition)) {
                    StreamOutput output = moved.tracked().output;
                    try {
                        if (output != null) {
                            output.abandon();
                        }
                    } catch (IOException | RuntimeException e) {
                        log.warn("dropping the open overlay of '{}': {}", Untrusted.echo(moved.stream()), e.getMessage());
                    }
                    metrics.forget(moved.stream());
                    listener.streamEvicted(moved.stream());
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            // nothing to set up: files are opened by the first mask of a stream
        }
    }

    private void closeOutputs() {
        for (TrackedStreams.Evicted open : streams.takeAll()) {
            StreamOutput output = open.tracked().output;
            if (output == null) {
                continue;
            }
            try {
                output.close();
            } catch (IOException | RuntimeException e) {
                log.warn("closing the overlay of '{}': {}", Untrusted.echo(open.stream()), e.getMessage());
            }
        }
    }

    /** Non-null if the sink stopped on an error. */
    public Throwable failure() {
        return failure;
    }

    /**
     * True while the sink's loop runs: false once it stopped, on an error ({@link #failure()} says
     * which) or because the sink was closed. For a health check.
     */
    public boolean healthy() {
        return loop.isAlive() && failure == null;
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
