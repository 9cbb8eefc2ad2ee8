package org.segstream.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session of a source (a file read, or one connection to a live source): open the decoder, publish
 * the frames of the window until the end, an error or a stop, then the end record. Sequence numbers
 * start at 0 and have no gaps. The steps: {@link DecoderWatchdog} (every decoder call bounded by the
 * read timeout), {@link FrameWindow} (seek, window, sampling), {@link Pacer} (real-time files),
 * {@link FramePublisher} (size, identity, JPEG, send).
 */
final class IngestSession {
    private static final Logger log = LoggerFactory.getLogger(IngestSession.class);
    private static final DateTimeFormatter SESSION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS").withZone(ZoneOffset.UTC);

    /** How one session went: its report, whether it opened at all, and whether the source has an end. */
    record Outcome(SessionReport report, boolean opened, boolean finite) {
        long frames() {
            return report.frames();
        }

        /** The error that ended the session (one line), null at a clean end or a stop. */
        String error() {
            String ended = report.ended();
            return ended.equals(SessionReport.END_OF_INPUT) || ended.equals(SessionReport.STOPPED) ? null : ended;
        }
    }

    private final SourceSpec input;
    private final IngestConfig config;
    private final FrameProducer producer;
    private final IngestMetrics metrics;
    private final Duration readTimeout;
    private final CountDownLatch stop;
    private final boolean live;
    private final long startedMs = System.currentTimeMillis();
    private final String id = newSessionId(startedMs);
    /** Frames published so far; the next one's sequence number. */
    private long seq;
    private boolean opened;

    IngestSession(SourceSpec input, IngestConfig config, FrameProducer producer, IngestMetrics metrics, Duration readTimeout,
                  CountDownLatch stop) {
        this.input = input;
        this.config = config;
        this.producer = producer;
        this.metrics = metrics;
        this.readTimeout = readTimeout;
        this.stop = stop;
        this.live = input.kind() == SourceKind.LIVE;
    }

    /**
     * A new session's id: its UTC start time, so ids (and the sink's session folders) sort by time, and
     * a random part (e.g. {@code 20261130-013023.123-4c868c2b}); lower-case letters, digits, - and . only, so the
     * id is its own folder name.
     */
    static String newSessionId(long startMs) {
        return SESSION_TIME.format(Instant.ofEpochMilli(startMs)) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    /** Runs the session to its end; never throws for a bad source: the outcome says what went wrong. */
    Outcome run() {
        String ended;
        boolean clean = false;
        boolean finite = false;
        // Every decoder call runs under the no-frame watchdog: a source's read timeout bounds how long a
        // call may go without a frame, whatever blocks it (network silence, undecodable data, a hung device).
        try (var watchdog = new DecoderWatchdog(input, readTimeout)) {
            VideoDecoder decoder = watchdog.open(() -> VideoDecoder.open(input, config.maxPixels(), readTimeout.toNanos() / 1000),
                    readTimeout.plus(DecoderOptions.MAX_PROBE));
            opened = true;
            publishFrames(watchdog, decoder);
            ended = stopping() ? SessionReport.STOPPED : SessionReport.END_OF_INPUT;
            clean = true;
            finite = decoder.hasKnownDuration();
        } catch (SourceException e) {
            failed(e);
            ended = e.getMessage();
        }
        end(clean);
        return new Outcome(new SessionReport(id, input.redactedLocation(), startedMs, System.currentTimeMillis(), seq, ended), opened,
                finite);
    }

    /** Publishes the frames of the window, paced for a real-time file, until the end of the source, the window or a stop. */
    private void publishFrames(DecoderWatchdog watchdog, VideoDecoder decoder) throws SourceException {
        var window = new FrameWindow(input.options(), live);
        if (window.startMicros() > 0) {
            watchdog.seek(window.startMicros());
        }
        var publisher = new FramePublisher(input, id, decoder, config, producer, metrics);
        var pacer = !live && input.options().realtime() ? new Pacer() : null;
        var progress = !live && System.console() != null ? new Progress(input.stream(), decoder.lengthInFrames(), decoder.frameRate()) : null;
        log.info("ingesting '{}' from {} ({} fps, session {})", input.stream(), input.redactedLocation(),
                String.format("%.2f", publisher.fps()), id);
        DecodedFrame frame;
        long decodeStart = System.nanoTime();
        while (!stopping() && (frame = watchdog.next()) != null) {
            metrics.decode.observe((System.nanoTime() - decodeStart) / 1e9);
            if (progress != null) {
                progress.frame(frame.ptsMicros());
            }
            FrameWindow.Verdict verdict = window.judge(frame.ptsMicros());
            if (verdict == FrameWindow.Verdict.PAST_END) {
                break;
            }
            if (verdict == FrameWindow.Verdict.PUBLISH) {
                if (pacer != null && !pacer.await(frame.ptsMicros(), stop)) {
                    break; // stopped while waiting for the frame's time
                }
                publisher.publish(frame, seq++);
            }
            decodeStart = System.nanoTime();
        }
        if (progress != null) {
            progress.done(seq);
        }
    }

    private void failed(SourceException e) {
        if (!live) {
            log.error("{}", e.getMessage());
        }
        metrics.sourceErrors.labelValues(input.stream()).inc();
        if (e instanceof DecoderWatchdog.DecoderStalledException) {
            metrics.decoderStalls.labelValues(input.stream()).inc();
        }
    }

    /**
     * The end record, so readers do not wait for more: after the frames sent, also those before a
     * failure. A session that sent nothing has one only if it was a file read to its end (0 frames); a
     * live connection that delivered nothing, or a source that failed first, has none.
     */
    private void end(boolean clean) {
        if (seq > 0 || clean && !live) {
            producer.sendEnd(new StreamEnd(input.stream(), id, seq));
            producer.flush();
        }
        if (clean) {
            log.info("ingest of '{}' session {} {}: {} frames", input.stream(), id, stopping() ? "stopped" : "done", seq);
        }
    }
}
