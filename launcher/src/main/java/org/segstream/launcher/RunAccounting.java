package org.segstream.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.segstream.ingest.IngestResult;
import org.segstream.ingest.SourceSpec;
import org.segstream.segmenter.SegmenterApp;
import org.segstream.segmenter.SegmenterStats;
import org.segstream.sink.SinkApp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a {@link PipelineRun}: waiting until the sink has seen every session that sent frames end,
 * then what ingest, the segmenter and the sink each counted, as the summary's rows.
 */
final class RunAccounting {
    private static final Logger log = LoggerFactory.getLogger(RunAccounting.class);
    /** Give up when the sink has made no progress for this long. */
    private static final long STALL_NANOS = 180_000_000_000L;

    private RunAccounting() {
    }

    /** Waits until the sink has seen the end of every session that sent frames. */
    static void awaitSink(List<IngestResult> results, RunTracker tracker, SinkApp sink, SegmenterApp segmenter)
            throws InterruptedException {
        Map<String, String> waiting = new LinkedHashMap<>(); // "stream/session" -> stream
        for (IngestResult r : results) {
            for (var session : r.sessionsWithFrames()) {
                waiting.put(r.stream() + "/" + session.id(), r.stream());
            }
        }
        long lastReport = System.nanoTime();
        while (!waiting.isEmpty()) {
            waiting.keySet().removeIf(key -> tracker.hasEnded(key));
            if (waiting.isEmpty()) {
                return;
            }
            if (sink.failure() != null) {
                throw new IllegalStateException("the sink failed: " + sink.failure().getMessage(), sink.failure());
            }
            if (tracker.nanosSinceProgress() > STALL_NANOS) {
                // Where it stopped: a segmenter that never reached RUNNING or segmented nothing points at the
                // consumer group or the model, one that segmented frames at the masks topic or the sink.
                throw new IllegalStateException("no frame reached the sink for " + STALL_NANOS / 1_000_000_000L
                        + " s; still waiting for " + new java.util.TreeSet<>(waiting.values()) + " (segmenter " + segmenter.state() + ", masks forwarded "
                        + segmenter.stats().segmentedByStream() + ", frames sent " + sentByStream(results) + ")");
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                log.info("waiting for {}: {} frames written so far", new java.util.TreeSet<>(waiting.values()), tracker.totalWritten());
                lastReport = System.nanoTime();
            }
            tracker.awaitChange(200);
        }
    }

    private static Map<String, Long> sentByStream(List<IngestResult> results) {
        Map<String, Long> sent = new java.util.TreeMap<>();
        results.forEach(r -> sent.merge(r.stream(), r.framesSent(), Long::sum));
        return sent;
    }

    /**
     * One row a readable-or-not source, with its sessions: frames in (over every session), segmented, shed
     * and dead-lettered by the segmenter, written by the sink, fps since the run started, latency.
     */
    static List<RunSummary.Row> rows(List<SourceSpec> sources, List<IngestResult> results, SegmenterStats stats,
                                    RunTracker tracker, long startedMillis, Path outDir) {
        Map<String, Long> segmented = stats.segmentedByStream();
        Map<String, Long> shed = stats.shedByStream();
        Map<String, Long> deadLettered = stats.deadLettersByStream();
        List<RunSummary.Row> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            IngestResult r = results.get(i);
            String stream = r.stream();
            long written = tracker.written(stream);
            double seconds = Math.max(0.001, (tracker.lastWriteMillis(stream) - startedMillis) / 1000.0);
            List<RunSummary.Session> sessions = r.sessions().stream().map(s -> {
                Path dir = tracker.sessionDir(stream, s.id());
                String output = dir == null ? null : outDir.toAbsolutePath().relativize(dir.toAbsolutePath()).toString();
                return new RunSummary.Session(s.id(), s.source(), s.startedMs(), s.endedMs(), s.frames(),
                        tracker.written(stream, s.id()), s.ended(), output);
            }).toList();
            rows.add(new RunSummary.Row(stream, sources.get(i).redactedLocation(), r.framesSent(), segmented.getOrDefault(stream, 0L),
                    shed.getOrDefault(stream, 0L), deadLettered.getOrDefault(stream, 0L), written,
                    written == 0 ? 0 : written / seconds, tracker.latencyPercentile(stream, 50), tracker.latencyPercentile(stream, 99),
                    r.error(), sessions));
        }
        return rows;
    }
}
