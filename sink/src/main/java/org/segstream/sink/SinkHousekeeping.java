package org.segstream.sink;

import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sink's loop does between polls, on its own thread: once a second it flushes the skip log
 * and closes sessions idle past the limit; every ten seconds it prunes old recordings
 * (SEGSTREAM_RETENTION_*), leaving the sessions being written alone.
 */
final class SinkHousekeeping {
    private static final Logger log = LoggerFactory.getLogger(SinkHousekeeping.class);
    /** How often idle streams are looked for. */
    private static final Duration EVERY = Duration.ofSeconds(1);
    /** How often old recordings are pruned: a walk of the output folder, four levels deep. */
    private static final Duration PRUNE_EVERY = Duration.ofSeconds(10);

    private final SinkConfig config;
    private final StreamSessions sessions;
    private final SkipLog skipLog;
    private final LongSupplier nanoClock;
    /** Null when the retention limits keep everything. */
    private final RecordingRetention retention;
    private long lastRunNanos;
    private long lastPruneNanos;

    SinkHousekeeping(SinkConfig config, StreamSessions sessions, TrackedStreams streams, SkipLog skipLog, LongSupplier nanoClock) {
        this.config = config;
        this.sessions = sessions;
        this.skipLog = skipLog;
        this.nanoClock = nanoClock;
        RetentionLimits keep = config.retention();
        // Pruned on the loop's thread, between polls: the set of open sessions is the loop's own state.
        this.retention = keep.keepsEverything() ? null
                : new RecordingRetention(config.outDir(), keep.maxAge(), keep.maxBytes(), path -> streams.openSessionDirs().contains(path));
        this.lastRunNanos = nanoClock.getAsLong();
    }

    /** Runs what is due; true if a file was closed (so the committed offset may move on). */
    boolean run() {
        long now = nanoClock.getAsLong();
        if (now - lastRunNanos < EVERY.toNanos()) {
            return false;
        }
        lastRunNanos = now;
        skipLog.flush();
        boolean closed = sessions.closeIdle();
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
}
