package org.segstream.launcher;

import java.util.HashMap;
import java.util.Map;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.StreamEnd;
import org.segstream.sink.FrameTimeline;
import org.segstream.sink.SinkListener;

/** Follows a run from the sink's side: frames written, latencies, and which stream sessions have ended. */
final class RunTracker implements SinkListener {
    private final Map<String, LatencyRecorder> latencies = new HashMap<>();
    private final Map<String, Long> written = new HashMap<>();
    /** Frames written per "stream/session". */
    private final Map<String, Long> writtenBySession = new HashMap<>();
    private final Map<String, Long> lastWriteMillis = new HashMap<>();
    private final Map<String, StreamEnd> ended = new HashMap<>();
    /** Where the sink wrote each "stream/session". */
    private final Map<String, java.nio.file.Path> sessionDirs = new HashMap<>();
    private long totalWritten;
    private long lastProgressNanos = System.nanoTime();

    @Override
    public synchronized void frameWritten(FrameIdentity frame, BgrImage overlay, FrameTimeline timeline) {
        latencies.computeIfAbsent(frame.stream(), s -> new LatencyRecorder()).add(timeline.endToEndMillis());
        written.merge(frame.stream(), 1L, Long::sum);
        writtenBySession.merge(frame.stream() + "/" + frame.session(), 1L, Long::sum);
        lastWriteMillis.put(frame.stream(), System.currentTimeMillis());
        totalWritten++;
        lastProgressNanos = System.nanoTime();
        notifyAll();
    }

    @Override
    public synchronized void sessionStarted(String stream, String session, java.nio.file.Path dir) {
        sessionDirs.put(stream + "/" + session, dir);
    }

    /** The folder the sink wrote the session into, or null if it wrote nothing. */
    synchronized java.nio.file.Path sessionDir(String stream, String session) {
        return sessionDirs.get(stream + "/" + session);
    }

    @Override
    public synchronized void streamEnded(StreamEnd end, long framesWritten) {
        ended.put(end.stream() + "/" + end.session(), end);
        lastProgressNanos = System.nanoTime();
        notifyAll();
    }

    synchronized boolean hasEnded(String stream, String session) {
        return hasEnded(stream + "/" + session);
    }

    /** Whether the session named "stream/session" has ended at the sink. */
    synchronized boolean hasEnded(String streamSlashSession) {
        return ended.containsKey(streamSlashSession);
    }

    synchronized long totalWritten() {
        return totalWritten;
    }

    synchronized long written(String stream) {
        return written.getOrDefault(stream, 0L);
    }

    synchronized long written(String stream, String session) {
        return writtenBySession.getOrDefault(stream + "/" + session, 0L);
    }

    synchronized long lastWriteMillis(String stream) {
        return lastWriteMillis.getOrDefault(stream, 0L);
    }

    synchronized long latencyPercentile(String stream, double p) {
        LatencyRecorder recorder = latencies.get(stream);
        return recorder == null ? -1 : recorder.percentile(p);
    }

    synchronized long nanosSinceProgress() {
        return System.nanoTime() - lastProgressNanos;
    }

    synchronized void awaitChange(long millis) throws InterruptedException {
        wait(millis);
    }
}
