package org.segstream.ingest;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.segstream.contract.FrameIdentity;
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

    /** How one session went: frames sent, error (one line, null at a clean end), whether it opened at all. */
    private record Session(String id, long frames, String error, boolean opened, boolean finite) {
    }

    /**
     * Runs to the end of the source (a live one: until {@link #stop()}); never throws for a bad
     * source, the result says what went wrong. For a live source the result is its last session that
     * sent frames.
     */
    public IngestResult run() {
        if (source.isDirectory()) {
            return runDirectory();
        }
        if (source.kind() != SourceKind.LIVE) {
            Session s = runSession();
            return new IngestResult(source.stream(), s.id(), s.frames(), s.error());
        }
        Session lastWithFrames = null;
        Session last = null;
        boolean everOpened = false;
        int failures = 0;
        while (!stopping()) {
            Session s = runSession();
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
                return new IngestResult(source.stream(), s.id(), 0, s.error());
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
            return new IngestResult(source.stream(), lastWithFrames.id(), lastWithFrames.frames(), error);
        }
        return new IngestResult(source.stream(), last == null ? newSessionId() : last.id(), 0,
                last == null || stopping() ? null : last.error());
    }

    private static String newSessionId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Video files of a directory source, in name order. */
    static java.util.List<java.nio.file.Path> videoFiles(java.nio.file.Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(java.nio.file.Files::isRegularFile)
                    .filter(p -> VIDEO_EXTENSIONS.matcher(p.getFileName().toString()).matches())
                    .sorted(java.util.Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    private static final java.util.regex.Pattern VIDEO_EXTENSIONS = java.util.regex.Pattern.compile(
            "(?i)[^.].*\\.(mp4|m4v|mov|mkv|webm|avi|ts|mts|m2ts|flv|mpg|mpeg|3gp|h264|h265|hevc)$");

    /** A directory: each video file in name order is one session of the stream; a file that fails is reported and skipped. */
    private IngestResult runDirectory() {
        java.util.List<java.nio.file.Path> files;
        try {
            files = videoFiles(java.nio.file.Path.of(source.location()));
        } catch (java.io.IOException e) {
            log.error("source '{}' ({}): cannot list the directory: {}", source.stream(), source.location(), e.getMessage());
            return new IngestResult(source.stream(), newSessionId(), 0, "source '" + source.stream() + "' (" + source.location()
                    + "): cannot list the directory: " + e.getMessage());
        }
        if (files.isEmpty()) {
            String error = "source '" + source.stream() + "' (" + source.location() + "): no video files in the directory";
            log.error("{}", error);
            return new IngestResult(source.stream(), newSessionId(), 0, error);
        }
        Session lastWithFrames = null;
        String firstError = null;
        for (java.nio.file.Path file : files) {
            if (stopping()) {
                break;
            }
            Session s = runSession(new SourceSpec(source.stream(), file.toString(), SourceKind.FILE, source.options()));
            if (s.frames() > 0) {
                lastWithFrames = s;
            }
            if (s.error() != null && firstError == null) {
                firstError = s.error();
            }
        }
        return lastWithFrames == null ? new IngestResult(source.stream(), newSessionId(), 0, firstError)
                : new IngestResult(source.stream(), lastWithFrames.id(), lastWithFrames.frames(), firstError);
    }

    /** One session: open, publish every frame until the end, an error or stop(), then the end record. */
    private Session runSession() {
        return runSession(source);
    }

    private Session runSession(SourceSpec input) {
        String session = newSessionId();
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
            log.info("ingesting '{}' from {} ({} fps, session {})", input.stream(), input.location(),
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
                        capture, image.width(), image.height(), fps, "jpeg", input.kind(), now);
                long encodeStart = System.nanoTime();
                byte[] jpeg = encodeWithinLimit(image, options.jpegQuality() > 0 ? options.jpegQuality() : config.jpegQuality());
                long sent = System.nanoTime();
                metrics.encode.observe((sent - encodeStart) / 1e9);
                producer.sendFrame(identity, jpeg, () -> metrics.produce.observe((System.nanoTime() - sent) / 1e9));
                metrics.frames.labelValues(input.stream()).inc();
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
            return new Session(session, seq, null, true, decoder.hasKnownDuration());
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
            return new Session(session, seq, e.getMessage(), opened, false);
        }
    }

    /** JPEG under the producer's request limit: lower the quality until it fits (never send what the broker refuses). */
    private static byte[] encodeWithinLimit(org.segstream.contract.BgrImage image, int startQuality) {
        int quality = startQuality;
        byte[] jpeg = JpegCodec.encode(image, quality);
        while (jpeg.length > FrameProducer.MAX_REQUEST_BYTES && quality > 10) {
            quality -= 15;
            jpeg = JpegCodec.encode(image, quality);
        }
        return jpeg;
    }
}
