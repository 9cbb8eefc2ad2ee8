package org.segstream.sink;

/** Handling one record cannot go on for a reason that belongs to the record: the sink counts it as skipped and goes on. */
final class SkipException extends RuntimeException {
    private final SkipReason reason;

    SkipException(SkipReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    SkipReason reason() {
        return reason;
    }
}
