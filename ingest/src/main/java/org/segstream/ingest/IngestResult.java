package org.segstream.ingest;

/**
 * How one source's ingest ended: {@code framesSent} frames of session {@code session}, and
 * {@code error} (one line) when the source could not be read to its end, null otherwise.
 */
public record IngestResult(String stream, String session, long framesSent, String error) {
    public boolean readable() {
        return framesSent > 0 || error == null;
    }
}
