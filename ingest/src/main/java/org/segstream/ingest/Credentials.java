package org.segstream.ingest;

import java.util.regex.Pattern;

/**
 * Masks the secrets a camera URL may carry, so the URL (or a message that quotes it, as FFmpeg's
 * errors do) can be logged or written to a summary: {@code user:***@} and secret query values.
 */
public final class Credentials {
    /** {@code scheme://user:password@host}, anywhere in a text: the password, up to the last '@' before the path. */
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\\s\"']*):[^/\\s\"']*@");
    /** Query values whose name says they are secret. */
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|pass|token|access_token|auth|key|secret|signature|sig)=)[^&;#\\s\"']*");

    private Credentials() {
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String masked = USER_INFO.matcher(text).replaceAll("$1:***@");
        return SECRET_QUERY.matcher(masked).replaceAll("$1***");
    }
}
