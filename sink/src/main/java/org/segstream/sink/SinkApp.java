package org.segstream.sink;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.segstream.contract.BadRecordException;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.KafkaClientLag;
import org.segstream.contract.Mask;
import org.segstream.contract.MasksTopicRecord;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Unreadable;
import org.segstream.contract.Untrusted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink service: reads masks (read_committed), fetches each mask's frame, writes the overlay
 * video and mask files, and closes a stream's files on its end-of-stream record. Both topics are read
 * through their Serdes ({@link SinkConsumers}): typed masks, shed markers, end records and frames, and
 * a record that breaks the contract as {@link Unreadable}.
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

    private final SinkConfig config;
    private final SinkListener listener;
    private final Consumer<String, MasksTopicRecord> masks;
    private final FrameJoin join;
    private final TrackedStreams streams;
    private final StreamSessions sessions;
    private final MaskCommits commits;
    private final OverlayStage overlays;
    private final SinkHousekeeping housekeeping;
    private final OutputDisk disk;
    private final SkipLog skipLog;
    private final LongSupplier nanoClock;
    private final Thread loop;
    private final SinkMetrics metrics;
    /** Copies of the table's sizes for the metrics thread (the table itself belongs to the sink's thread). */
    private final AtomicLong trackedCount = new AtomicLong();
    private final AtomicLong openFileCount = new AtomicLong();
    private volatile boolean running = true;
    private volatile Throwable failure;

    private SinkApp(SinkConfig config, SinkListener listener, PrometheusRegistry registry, Consumer<String, MasksTopicRecord> masks,
                    FrameFetcher<FramesTopicRecord> frames, LongSupplier nanoClock) {
        this.config = config;
        this.listener = listener;
        this.masks = masks;
        this.join = new FrameJoin(frames);
        this.nanoClock = nanoClock;
        this.streams = new TrackedStreams(config.limits(), nanoClock);
        this.commits = new MaskCommits(masks, streams::committable);
        this.disk = new OutputDisk(config.outDir());
        this.skipLog = new SkipLog(log, nanoClock);
        this.loop = new Thread(this::run, "segstream-sink");
        this.metrics = new SinkMetrics(registry, () -> KafkaClientLag.maxRecords(masks.metrics()), trackedCount::get,
                openFileCount::get);
        this.sessions = new StreamSessions(config, listener, metrics, disk, streams, nanoClock);
        this.overlays = new OverlayStage(config, metrics, listener, nanoClock);
        this.housekeeping = new SinkHousekeeping(config, sessions, streams, skipLog, nanoClock);
    }

    public static SinkApp start(SinkConfig config, SinkListener listener) {
        return start(config, listener, new PrometheusRegistry());
    }

    /** As {@link #start(SinkConfig, SinkListener)}, with the metrics registered in {@code registry} (the process's). */
    public static SinkApp start(SinkConfig config, SinkListener listener, PrometheusRegistry registry) {
        return start(config, listener, registry,
                SinkConsumers.masks(config), FrameFetcher.of(config), System::nanoTime);
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

    private void run() {
        try {
            while (running) {
                var batch = masks.poll(Duration.ofMillis(200));
                long receivedMs = System.currentTimeMillis();
                for (ConsumerRecord<String, MasksTopicRecord> record : batch) {
                    handle(record, receivedMs);
                    commits.handled(record);
                }
                boolean closedSome = housekeeping.run();
                if (!batch.isEmpty() || closedSome) {
                    commits.commit();
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
            sessions.closeAll();
            try {
                if (failure == null) {
                    commits.commit(); // every file is final now, so every handled record can be committed
                }
                masks.close(Duration.ofSeconds(5));
            } catch (RuntimeException ignored) {
                // already failing or closing
            }
            join.close();
        }
    }

    /** Handles one record; whatever goes wrong with it ends as a counted skip, unless the sink's environment failed. */
    private void handle(ConsumerRecord<String, MasksTopicRecord> record, long receivedMs) {
        try {
            if (record.value() instanceof Unreadable unreadable) {
                throw new BadRecordException(unreadable.reason());
            } else if (record.value() instanceof StreamEnd end) {
                sessions.ended(end);
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
            disk.requireWritable(e);
            skipped(record, SkipReason.WRITE_FAILED, e.toString());
        } catch (RuntimeException e) {
            log.debug("mask {}-{}@{} failed", record.topic(), record.partition(), record.offset(), e);
            skipped(record, SkipReason.ERROR, e.toString());
        }
    }

    private void skipped(ConsumerRecord<String, MasksTopicRecord> record, SkipReason reason, String why) {
        String stream = MaskRecords.streamOf(record.value());
        boolean tracked = stream != null && streams.contains(stream);
        metrics.skipped(tracked ? stream : null, reason);
        if (tracked && MaskRecords.isMask(record.value())) {
            streams.seen(stream).rate.dropped(1, nanoClock.getAsLong());
            listener.framesMissing(stream, 1, reason.label());
        }
        skipLog.skipped(reason, "skipping mask " + record.topic() + "-" + record.partition() + "@" + record.offset() + " of stream '"
                + Untrusted.echo(stream == null ? record.key() : stream) + "' (" + reason.label() + "): " + Untrusted.echo(why));
    }

    /** A mask (or a shed marker): into its session's files, with its frame joined, unless already written. */
    private void frame(ConsumerRecord<String, MasksTopicRecord> maskRecord, long receivedMs) throws IOException {
        FrameIdentity identity = MaskRecords.frameOf(maskRecord.value());
        TrackedStreams.Tracked tracked = sessions.track(identity.stream());
        StreamOutput output = sessions.outputFor(tracked, identity, new TopicPartition(maskRecord.topic(), maskRecord.partition()));
        if (output.alreadyWritten(identity.seq())) {
            metrics.skipped(identity.stream(), SkipReason.DUPLICATE);
            return; // redelivered after a restart
        }
        sessions.countGap(identity, tracked, output);
        if (!(maskRecord.value() instanceof Mask mask)) {
            // The segmenter shed this live frame: no overlay, but it is accounted for (and no gap for the next frame).
            tracked.rate.dropped(1, nanoClock.getAsLong());
            listener.framesMissing(identity.stream(), 1, "shed");
            return;
        }
        FrameJoin.Pair pair = join.join(mask, identity.seq());
        overlays.write(tracked, output, pair, mask, maskRecord, receivedMs);
    }

    /** When partitions move to another sink instance, it rebuilds their open files: drop ours unfinished. */
    private final class Handover implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            commits.commit();
            for (TopicPartition partition : revoked) {
                commits.revoked(partition);
                sessions.partitionRevoked(partition);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            // nothing to set up: files are opened by the first mask of a stream
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
