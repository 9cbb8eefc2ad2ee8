package org.segstream.segmenter;

/**
 * At most {@code lines} log lines per {@code windowMs}; the lines over budget are counted, and the next
 * line logged says how many were left out. Confined to one thread.
 */
final class LogBudget {
    private final int lines;
    private final long windowMs;
    private long windowStartMs = Long.MIN_VALUE;
    private int used;
    private long suppressed;

    LogBudget(int lines, long windowMs) {
        this.lines = lines;
        this.windowMs = windowMs;
    }

    /** Whether a line may be logged at {@code nowMs}; if not, it is counted as left out. */
    boolean take(long nowMs) {
        if (windowStartMs == Long.MIN_VALUE || nowMs - windowStartMs >= windowMs) {
            windowStartMs = nowMs;
            used = 0;
        }
        if (used < lines) {
            used++;
            return true;
        }
        suppressed++;
        return false;
    }

    /** For the line being logged: how many were left out before it ("" if none); resets the count. */
    String suppressedNote() {
        if (suppressed == 0) {
            return "";
        }
        String note = " (" + suppressed + " similar lines left out before this one)";
        suppressed = 0;
        return note;
    }
}
