package org.segstream.sink;

/**
 * What the sink depends on failed (the output folder cannot be written, the frames topic does not
 * answer): not the fault of the record being handled. Skipping records would lose them for good, so
 * the sink stops instead, with that record not committed; health says so, and a restart resumes
 * from the committed offsets once the disk or the broker is back.
 */
final class EnvironmentFailure extends RuntimeException {
    EnvironmentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
