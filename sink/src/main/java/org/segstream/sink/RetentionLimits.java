package org.segstream.sink;

import java.time.Duration;
import java.util.Map;

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

    /** From SEGSTREAM_RETENTION_MAX_AGE_HOURS and SEGSTREAM_RETENTION_MAX_GB (decimal; unset or blank: no limit). */
    public static RetentionLimits fromEnv(Map<String, String> env) {
        double hours = EnvValues.positiveDouble(env, "SEGSTREAM_RETENTION_MAX_AGE_HOURS", 0); // 0: unset or blank
        double gigabytes = EnvValues.positiveDouble(env, "SEGSTREAM_RETENTION_MAX_GB", 0);
        return new RetentionLimits(hours > 0 ? Duration.ofSeconds(Math.max(1, Math.round(3600 * hours))) : null,
                Math.round(1e9 * gigabytes));
    }
}
