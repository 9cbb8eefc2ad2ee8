package org.segstream.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.Topics;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one source and publishes every frame, then an end-of-stream record. Each session (a file
 * read, or one connection to a live source) is new: sequence numbers start at 0 and have no gaps.
 *
 * <p>A live source that fails or ends (a camera rebooting, a network cut, a read silent for longer
 * than the read timeout) is reopened with exponential backoff and jitter ({@link Reconnect}); the
 * broken session gets its end record and the reconnection starts a new session. A decoder that
 * produces no frame for the read timeout, whatever blocks it, ends its session the same way
 * ({@link DecoderWatchdog}); a file then ends with that error. A live source runs
 * until {@link #stop()}; a network source that declares a duration (a file over HTTP, a finished
 * HLS playlist) ends normally at its end.
 */
public final class IngestJob {
    private static final Logger log = LoggerFactory.getLogger(IngestJob.class);

    private final SourceSpec source;
    private final IngestConfig config;
    private final FrameProducer producer;
    private final IngestMetrics metrics;
    private final Reconnect reconnect;
    private final CountDownLatch stop = new CountDownLatch(1);

    public IngestJob(SourceSpec source, IngestConfig config, FrameProducer producer) {
        this(source, config, producer, new IngestMetrics());
    }

    public IngestJob(SourceSpec source, IngestConfig config, FrameProducer producer, IngestMetrics metrics) {
        this(source, config, producer, metrics, Reconnect.DEFAULT);
    }

    public IngestJob(SourceSpec source, IngestConfig config, FrameProducer producer, IngestMetrics metrics, Reconnect reconnect) {
        this.source = source;
        this.config = config;
        this.producer = producer;
        this.metrics = metrics;
        this.reconnect = reconnect;
    }

    /**
     * Asks the job to finish: the current session ends after the frame being read (at most the read
     * timeout for a silent network source), gets its end record, and {@link #run()} returns. Any thread.
     */
    public void stop() {
        stop.countDown();
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    /** How one session went: its report, whether it opened at all, and whether the source has an end. */
    private record Session(SessionReport report, boolean opened, boolean finite) {
        long frames() {
            return report.frames();
        }

        /** The error that ended the session (one line), null at a clean end or a stop. */
        String error() {
            String ended = report.ended();
            return ended.equals(SessionReport.END_OF_INPUT) || ended.equals(SessionReport.STOPPED) ? null : ended;
        }
    }

    /**
     * Runs to the end of the source (a live one: until {@link #stop()}); never throws for a bad
     * source, the result lists every session and says what went wrong.
     */
    public IngestResult run() {
        if (source.isDirectory()) {
            return runDirectory();
        }
        if (source.kind() != SourceKind.LIVE) {
            Session s = runSession(source);
            return new IngestResult(source.stream(), List.of(s.report()), s.error());
        }
        metrics.lastFrame(source.stream(), SourceKind.LIVE, System.currentTimeMillis()); // silent until its first frame
        List<SessionReport> sessions = new ArrayList<>();
        Session lastWithFrames = null;
        Session last = null;
        boolean everOpened = false;
        int failures = 0;
        while (!stopping()) {
            Session s = runSession(source);
            if (s.frames() > 0) {
                sessions.add(s.report()); // connection attempts that got no frame are logged, not listed
            }
            last = s;
            everOpened |= s.opened();
            if (s.frames() > 0) {
                lastWithFrames = s;
                failures = 0; // a session that delivered frames resets the backoff
            }
            if (stopping()) {
                break;
            }
            if (!everOpened && !reconnect.retryFirstOpen()) {
                log.error("{}", s.error());
                return new IngestResult(source.stream(), List.of(s.report()), s.error());
            }
            if (s.error() == null && s.finite()) {
                break; // a file over the network, read to its end
            }
            failures++;
            long wait = reconnect.jittered(reconnect.backoffMillis(failures), ThreadLocalRandom.current().nextDouble());
            log.warn("{}; reconnecting in {} ms", s.error() == null ? "source '" + source.stream() + "' ended" : s.error(), wait);
            try {
                if (stop.await(wait, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (lastWithFrames != null) {
            String error = stopping() || lastWithFrames != last ? null : lastWithFrames.error();
            return new IngestResult(source.stream(), sessions, error);
        }
        return new IngestResult(source.stream(), last == null ? List.of() : List.of(last.report()),
                last == null || stopping() ? null : last.error());
    }

    /**
     * A new session's id: its UTC start time, so ids (and the sink's session folders) sort by time, and
     * a random part (e.g. {@code 20261130-013023.123-4c868c2b}); lower-case letters, digits, - and . only, so the
     * id is its own folder name.
     */
    private static String newSessionId(long startMs) {
        return SESSION_TIME.format(Instant.ofEpochMilli(startMs)) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static final DateTimeFormatter SESSION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS").withZone(ZoneOffset.UTC);

    /** Video files of a directory source, in name order. */
    static List<Path> videoFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> VIDEO_EXTENSIONS.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    private static final Pattern VIDEO_EXTENSIONS = Pattern.compile(
            "(?i)[^.].*\\.(mp4|m4v|mov|mkv|webm|avi|ts|mts|m2ts|flv|mpg|mpeg|3gp|h264|h265|hevc)$");

    /** A directory: each video file in name order is one session of the stream; a file that fails is reported and skipped. */
    private IngestResult runDirectory() {
        List<Path> files;
        try {
            files = videoFiles(Path.of(source.location()));
        } catch (IOException e) {
            String error = "source '" + source.stream() + "' (" + source.location() + "): cannot list the directory: " + e.getMessage();
            log.error("{}", error);
            return new IngestResult(source.stream(), List.of(), error);
        }
        if (files.isEmpty()) {
            String error = "source '" + source.stream() + "' (" + source.location() + "): no video files in the directory";
            log.error("{}", error);
            return new IngestResult(source.stream(), List.of(), error);
        }
        List<SessionReport> sessions = new ArrayList<>();
        String firstError = null;
        for (Path file : files) {
            if (stopping()) {
                break;
            }
            Session s = runSession(new SourceSpec(source.stream(), file.toString(), SourceKind.FILE, source.options()));
            sessions.add(s.report());
            if (s.error() != null && firstError == null) {
                firstError = s.error();
            }
        }
        return new IngestResult(source.stream(), sessions, firstError);
    }

    /** One session: open, publish every frame until the end, an error or stop(), then the end record. */
    private Session runSession(SourceSpec input) {
        long startedMs = System.currentTimeMillis();
        String session = newSessionId(startedMs);
        // A file's name tells a folder's sessions apart; a URL is not repeated on every record (it may hold credentials).
        String sourceName = input.kind() == SourceKind.FILE && !input.isUrl() ? Path.of(input.location()).getFileName().toString() : null;
        long seq = 0;
        boolean opened = false;
        boolean live = input.kind() == SourceKind.LIVE;
        SourceOptions options = input.options();
        // Every decoder call runs under the no-frame watchdog: a source's read timeout bounds how long a
        // call may go without a frame, whatever blocks it (network silence, undecodable data, a hung device).
        try (var watchdog = new DecoderWatchdog(input, reconnect.readTimeout())) {
            VideoDecoder decoder = watchdog.open(() -> VideoDecoder.open(input, config.maxPixels(), reconnect.readTimeout().toNanos() / 1000),
                    reconnect.readTimeout().plus(VideoDecoder.MAX_PROBE));
            opened = true;
            long startMicros = live ? 0 : Math.round(options.startSeconds() * 1e6);
            long endMicros = live || options.durationSeconds() == 0 ? Long.MAX_VALUE : startMicros + Math.round(options.durationSeconds() * 1e6);
            if (startMicros > 0) {
                watchdog.seek(startMicros);
            }
            double fps = options.fps() > 0 ? Math.min(options.fps(), decoder.frameRate()) : decoder.frameRate();
            long creationMs = live ? -1 : CaptureTime.epochMillis(decoder.creationTime());
            var sampler = new FrameSampler(options.fps());
            var pacer = !live && options.realtime() ? new Pacer() : null;
            var progress = !live && System.console() != null ? new Progress(input.stream(), decoder.lengthInFrames(), decoder.frameRate()) : null;
            log.info("ingesting '{}' from {} ({} fps, session {})", input.stream(), input.redactedLocation(),
                    String.format("%.2f", fps), session);
            DecodedFrame frame;
            long decodeStart = System.nanoTime();
            while (!stopping() && (frame = watchdog.next()) != null) {
                metrics.decode.observe((System.nanoTime() - decodeStart) / 1e9);
                if (progress != null) {
                    progress.frame(frame.ptsMicros());
                }
                if (frame.ptsMicros() >= endMicros) {
                    break;
                }
                if (frame.ptsMicros() < startMicros - 1000 || !sampler.keep(frame.ptsMicros())) {
                    decodeStart = System.nanoTime();
                    continue;
                }
                if (pacer != null && !pacer.await(frame.ptsMicros(), stop)) {
                    break;
                }
                long now = System.currentTimeMillis(); // the frame enters the pipeline: ingest.ms, and live capture time
                var image = frame.image();
                int[] size = options.fit(image.width(), image.height());
                image = Downscale.to(image, size[0], size[1]);
                long capture = CaptureTime.of(live, options.recordedTime(), creationMs, frame.ptsMicros(), now);
                var identity = new FrameIdentity(input.stream(), session, seq, frame.ptsMicros(),
                        capture, image.width(), image.height(), fps, "jpeg", input.kind(), now, sourceName);
                long encodeStart = System.nanoTime();
                byte[] jpeg = encodeWithinLimit(image, options.jpegQuality() > 0 ? options.jpegQuality() : config.jpegQuality());
                long sent = System.nanoTime();
                metrics.encode.observe((sent - encodeStart) / 1e9);
                producer.sendFrame(identity, jpeg, () -> metrics.produce.observe((System.nanoTime() - sent) / 1e9));
                metrics.frames.labelValues(input.stream()).inc();
                metrics.lastFrame(input.stream(), input.kind(), now);
                seq++;
                decodeStart = System.nanoTime();
            }
            if (progress != null) {
                progress.done(seq);
            }
            if (!live || seq > 0) {
                producer.sendEnd(new StreamEnd(input.stream(), session, seq));
                producer.flush();
            }
            log.info("ingest of '{}' session {} {}: {} frames", input.stream(), session, stopping() ? "stopped" : "done", seq);
            String ended = stopping() ? SessionReport.STOPPED : SessionReport.END_OF_INPUT;
            return new Session(report(input, session, startedMs, seq, ended), true, decoder.hasKnownDuration());
        } catch (SourceException e) {
            if (!live) {
                log.error("{}", e.getMessage());
            }
            metrics.sourceErrors.labelValues(input.stream()).inc();
            if (e instanceof DecoderWatchdog.DecoderStalledException) {
                metrics.decoderStalls.labelValues(input.stream()).inc();
            }
            // Frames before the damage were sent; close the session so readers do not wait for more.
            if (seq > 0) {
                producer.sendEnd(new StreamEnd(input.stream(), session, seq));
                producer.flush();
            }
            return new Session(report(input, session, startedMs, seq, e.getMessage()), opened, false);
        }
    }

    private static SessionReport report(SourceSpec input, String session, long startedMs, long frames, String ended) {
        return new SessionReport(session, input.redactedLocation(), startedMs, System.currentTimeMillis(), frames, ended);
    }

    /** JPEG under the producer's request limit: lower the quality until it fits (never send what the broker refuses). */
    private static byte[] encodeWithinLimit(org.segstream.contract.BgrImage image, int startQuality) {
        int quality = startQuality;
        byte[] jpeg = JpegCodec.encode(image, quality);
        while (jpeg.length > Topics.MAX_FRAME_BYTES && quality > 10) {
            quality -= 15;
            jpeg = JpegCodec.encode(image, quality);
        }
        return jpeg;
    }
}
