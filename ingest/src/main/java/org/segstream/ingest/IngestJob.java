package org.segstream.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.segstream.contract.SourceKind;
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

    /**
     * Runs to the end of the source (a live one: until {@link #stop()}); never throws for a bad
     * source, the result lists every session and says what went wrong.
     */
    public IngestResult run() {
        if (source.isDirectory()) {
            return runDirectory();
        }
        if (source.kind() != SourceKind.LIVE) {
            IngestSession.Outcome s = session(source);
            return new IngestResult(source.stream(), List.of(s.report()), s.error());
        }
        return runLive();
    }

    private IngestSession.Outcome session(SourceSpec input) {
        return new IngestSession(input, config, producer, metrics, reconnect.readTimeout(), stop).run();
    }

    /** A live source: a session per connection, reconnecting with backoff after each until stopped or refused at first. */
    private IngestResult runLive() {
        metrics.lastFrame(source.stream(), SourceKind.LIVE, System.currentTimeMillis()); // silent until its first frame
        var history = new LiveSessions();
        int failures = 0;
        while (!stopping()) {
            IngestSession.Outcome s = session(source);
            history.add(s);
            if (s.frames() > 0) {
                failures = 0; // a session that delivered frames resets the backoff
            }
            if (stopping()) {
                break;
            }
            if (!history.everOpened && !reconnect.retryFirstOpen()) {
                log.error("{}", s.error());
                return new IngestResult(source.stream(), List.of(s.report()), s.error());
            }
            if (s.error() == null && s.finite()) {
                break; // a file over the network, read to its end
            }
            failures++;
            if (!waitToReconnect(s, failures)) {
                break;
            }
        }
        return history.result(source.stream(), stopping());
    }

    /** Waits the backoff after {@code failures} failed sessions in a row; false if stopped meanwhile. */
    private boolean waitToReconnect(IngestSession.Outcome last, int failures) {
        long wait = reconnect.jittered(reconnect.backoffMillis(failures), ThreadLocalRandom.current().nextDouble());
        log.warn("{}; reconnecting in {} ms", last.error() == null ? "source '" + source.stream() + "' ended" : last.error(), wait);
        try {
            return !stop.await(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The sessions of a live source so far: those that delivered frames are listed, attempts without any only logged. */
    private static final class LiveSessions {
        final List<SessionReport> listed = new ArrayList<>();
        IngestSession.Outcome last;
        IngestSession.Outcome lastWithFrames;
        boolean everOpened;

        void add(IngestSession.Outcome s) {
            last = s;
            everOpened |= s.opened();
            if (s.frames() > 0) {
                listed.add(s.report());
                lastWithFrames = s;
            }
        }

        /** The result: the error is the last session's, unless stopped or a later attempt got no frame. */
        IngestResult result(String stream, boolean stopped) {
            if (lastWithFrames != null) {
                String error = stopped || lastWithFrames != last ? null : lastWithFrames.error();
                return new IngestResult(stream, listed, error);
            }
            return new IngestResult(stream, last == null ? List.of() : List.of(last.report()),
                    last == null || stopped ? null : last.error());
        }
    }

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
            IngestSession.Outcome s = session(new SourceSpec(source.stream(), file.toString(), SourceKind.FILE, source.options()));
            sessions.add(s.report());
            if (s.error() != null && firstError == null) {
                firstError = s.error();
            }
        }
        return new IngestResult(source.stream(), sessions, firstError);
    }
}
