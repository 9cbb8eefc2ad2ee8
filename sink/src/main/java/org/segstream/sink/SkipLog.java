package org.segstream.sink;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs skipped records without letting a flood of bad records flood the log: at most
 * {@link #LINES_PER_WINDOW} lines per reason a minute, then one line saying how many more there were
 * (the metric counts every one). Lines passed in must already have their untrusted parts echoed
 * through {@link org.segstream.contract.Untrusted#echo}.
 */
final class SkipLog {
    static final int LINES_PER_WINDOW = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);

    private static final class Budget {
        long windowStartNanos;
        int logged;
        long suppressed;
    }

    private final Logger log;
    private final LongSupplier nanoClock;
    private final Map<SkipReason, Budget> budgets = new EnumMap<>(SkipReason.class);

    SkipLog(Logger log, LongSupplier nanoClock) {
        this.log = log;
        this.nanoClock = nanoClock;
    }

    void skipped(SkipReason reason, String line) {
        long now = nanoClock.getAsLong();
        Budget budget = budgets.computeIfAbsent(reason, r -> {
            var b = new Budget();
            b.windowStartNanos = now;
            return b;
        });
        roll(reason, budget, now);
        if (budget.logged < LINES_PER_WINDOW) {
            budget.logged++;
            log.warn(line);
        } else {
            budget.suppressed++;
        }
    }

    /** Reports the lines held back in windows that have ended. */
    void flush() {
        long now = nanoClock.getAsLong();
        budgets.forEach((reason, budget) -> roll(reason, budget, now));
    }

    private void roll(SkipReason reason, Budget budget, long now) {
        if (now - budget.windowStartNanos < WINDOW.toNanos()) {
            return;
        }
        if (budget.suppressed > 0) {
            log.warn("{} more record(s) skipped as {} in the last minute, not logged one by one (see segstream_frames_skipped_total)",
                    budget.suppressed, reason.label());
        }
        budget.windowStartNanos = now;
        budget.logged = 0;
        budget.suppressed = 0;
    }
}
