package org.segstream.ingest;

import java.util.List;

/**
 * How one source's ingest went: every session it ran (a folder's files, a camera's connections), in
 * order, and {@code error} (one line) when the source could not be read to its end, null otherwise.
 */
public record IngestResult(String stream, List<SessionReport> sessions, String error) {
    public IngestResult {
        sessions = List.copyOf(sessions);
    }

    /** Frames sent over all sessions. */
    public long framesSent() {
        return sessions.stream().mapToLong(SessionReport::frames).sum();
    }

    /** The sessions that sent frames: each of them ends with an end record the sink will see. */
    public List<SessionReport> sessionsWithFrames() {
        return sessions.stream().filter(s -> s.frames() > 0).toList();
    }

    /** The id of the last session that sent frames (else the last session's), or null when none ran. */
    public String session() {
        var withFrames = sessionsWithFrames();
        if (!withFrames.isEmpty()) {
            return withFrames.get(withFrames.size() - 1).id();
        }
        return sessions.isEmpty() ? null : sessions.get(sessions.size() - 1).id();
    }

    public boolean readable() {
        return framesSent() > 0 || error == null;
    }
}
