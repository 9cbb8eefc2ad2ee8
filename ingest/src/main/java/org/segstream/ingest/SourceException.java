package org.segstream.ingest;

/** A source that cannot be read; the message is one line naming the source and the reason. */
public class SourceException extends Exception {
    public SourceException(SourceSpec source, String reason) {
        super("source '" + source.stream() + "' (" + source.redactedLocation() + "): " + Credentials.redact(reason));
    }

    public SourceException(SourceSpec source, String reason, Throwable cause) {
        super("source '" + source.stream() + "' (" + source.redactedLocation() + "): " + Credentials.redact(reason), cause);
    }
}
