package org.segstream.ingest;

import java.time.Duration;

/**
 * How a live source is reopened after it fails or ends: exponential backoff from {@code initial},
 * doubling up to {@code max}, each wait spread by up to {@code jitter} (a fraction) so that many
 * cameras behind one failed switch do not reconnect in lock step; the backoff starts over once a
 * session has delivered a frame. {@code readTimeout} is the no-data and no-frame watchdog: a network
 * read silent for that long, or a decoder without a frame for that long ({@link DecoderWatchdog}),
 * fails the session and the source is reopened. {@code retryFirstOpen}: keep trying a source that
 * has never opened (a service waiting for its camera) rather than reporting it unreadable at once.
 */
public record Reconnect(Duration initial, Duration max, double jitter, Duration readTimeout, boolean retryFirstOpen) {

    /** 0.5 s doubling to 30 s, 20 % jitter, 10 s read timeout; a source that never opened is reported, not retried. */
    public static final Reconnect DEFAULT = new Reconnect(Duration.ofMillis(500), Duration.ofSeconds(30), 0.2, Duration.ofSeconds(10), false);

    public Reconnect {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("reconnect backoff must be positive and initial <= max");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("reconnect jitter " + jitter + " is outside 0..1");
        }
        if (readTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("read timeout must be at least 100 ms");
        }
    }

    public Reconnect withRetryFirstOpen(boolean retry) {
        return new Reconnect(initial, max, jitter, readTimeout, retry);
    }

    /** The wait after {@code failures} consecutive failed attempts (1 = the first), before jitter. */
    long backoffMillis(int failures) {
        long ms = initial.toMillis();
        for (int i = 1; i < failures && ms < max.toMillis(); i++) {
            ms *= 2;
        }
        return Math.min(ms, max.toMillis());
    }

    /** {@code backoffMillis} spread by up to +-jitter; {@code random} in [0, 1). */
    long jittered(long backoffMillis, double random) {
        double factor = 1 + jitter * (2 * random - 1);
        return Math.max(1, Math.round(backoffMillis * factor));
    }
}
