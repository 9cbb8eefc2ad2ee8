package org.segstream.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.segstream.contract.BadRecordException;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Untrusted;
import org.segstream.video.VideoEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open session of each stream the sink tracks: which {@link StreamOutput} a mask goes to, and
 * what happens to a session's files when its stream ends, goes idle, is evicted under the cap, or
 * moves to another sink instance. The table of streams itself, and its bounds, is
 * {@link TrackedStreams}. Used by the sink's thread only.
 */
final class StreamSessions {
    private static final Logger log = LoggerFactory.getLogger(StreamSessions.class);

    private final SinkConfig config;
    private final SinkListener listener;
    private final SinkMetrics metrics;
    private final OutputDisk disk;
    private final VideoEncoder.Settings videoSettings;
    private final TrackedStreams streams;
    private final LongSupplier nanoClock;

    StreamSessions(SinkConfig config, SinkListener listener, SinkMetrics metrics, OutputDisk disk, TrackedStreams streams,
                   LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.config = config;
        this.listener = listener;
        this.metrics = metrics;
        this.disk = disk;
        this.streams = streams;
        this.videoSettings = new VideoEncoder.Settings(VideoEncoder.Codec.H264, config.preset(), config.crf());
    }

    /**
     * The stream's entry, made if needed. An id that cannot name a folder never takes a place; past
     * the cap, a new id is refused unless a stream without an open file can make room.
     */
    TrackedStreams.Tracked track(String stream) {
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

    /**
     * The output of {@code frame}'s session, opened if the stream has none or had another session (a
     * new session began without the old one's end record, e.g. a reconnect: the old one is closed).
     */
    StreamOutput outputFor(TrackedStreams.Tracked tracked, FrameIdentity frame, TopicPartition partition) throws IOException {
        StreamOutput output = tracked.output;
        if (output != null && output.hasOpenFile() && !partition.equals(tracked.partition)) {
            // The open file's first mask is on its partition: commits there are held back for it, not here.
            throw new BadRecordException("stream's masks arrive on " + partition + " while its open session's come from "
                    + tracked.partition);
        }
        if (output != null && output.session().equals(frame.session())) {
            return output;
        }
        if (output != null) {
            tracked.output = null;
            output.close();
        }
        try {
            output = new StreamOutput(config.outDir(), frame, config.writeMasks(), videoSettings, config.segmentSeconds());
        } catch (IllegalArgumentException badName) {
            throw new SkipException(SkipReason.BAD_NAME, badName.getMessage());
        }
        tracked.output = output;
        tracked.partition = partition;
        listener.sessionStarted(frame.stream(), frame.session(), output.dir());
        return output;
    }

    /** Counts the frames missing before this one; should this frame be skipped later, it counts as skipped, not as a gap. */
    void countGap(FrameIdentity identity, TrackedStreams.Tracked tracked, StreamOutput output) {
        long gap = output.gapBefore(identity.seq());
        output.handling(identity.seq());
        if (gap > 0) {
            // Masks of a session arrive in order and shed frames have markers, so a gap is frames dead-lettered (or lost).
            metrics.gap(identity.stream(), gap);
            tracked.rate.dropped(gap, nanoClock.getAsLong());
            listener.framesMissing(identity.stream(), gap, "gap");
            log.info("stream '{}': {} frame(s) missing before seq {} (shed or dead-lettered upstream)", Untrusted.echo(identity.stream()),
                    gap, identity.seq());
        }
    }

    /** The end record of a session: its files are final. */
    void ended(StreamEnd end) throws IOException {
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

    /** Forgets streams idle past the limit, closing their open sessions as incomplete. True if a file was closed. */
    boolean closeIdle() {
        boolean closed = false;
        String why = "no record for " + config.limits().idle().toSeconds() + " s (SEGSTREAM_STREAM_IDLE_SECONDS)";
        for (TrackedStreams.Evicted idle : streams.takeIdle()) {
            closed |= forget(idle, "idle", why);
        }
        return closed;
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
                disk.requireWritable(e);
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

    /** The partition moved to another sink instance, which rebuilds its open files: drop ours unfinished. */
    void partitionRevoked(TopicPartition partition) {
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

    /** Finalises every open file (the sink stops). */
    void closeAll() {
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
}
