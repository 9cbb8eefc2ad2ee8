package org.segstream.sink;

import java.time.Duration;

/**
 * How long overlay recordings are kept: by age ({@code maxAge}, null: no limit) and by the total
 * size of the output folder ({@code maxBytes}, 0: no limit). {@link #NONE} keeps everything.
 */
public record RetentionLimits(Duration maxAge, long maxBytes) {
    public static final RetentionLimits NONE = new RetentionLimits(null, 0);

    public RetentionLimits {
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("the maximum age of recordings must be positive, not " + maxAge);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("the maximum size of recordings must be >= 0 (0: no limit), not " + maxBytes);
        }
    }

    public boolean keepsEverything() {
        return maxAge == null && maxBytes == 0;
    }
}
