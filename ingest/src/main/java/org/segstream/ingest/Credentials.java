package org.segstream.ingest;

import java.util.regex.Pattern;

/** Masks the secrets a camera URL may carry, so the URL can be logged or written to a summary. */
public final class Credentials {
    /** {@code scheme://user:password@host}: the password, up to the last '@' before the path. */
    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:]*):[^/]*@");
    /** Query values whose name says they are secret. */
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|pass|token|access_token|auth|key|secret|signature|sig)=)[^&;#]*");

    private Credentials() {
    }

    public static String redact(String url) {
        String masked = USER_INFO.matcher(url).replaceFirst("$1:***@");
        return SECRET_QUERY.matcher(masked).replaceAll("$1***");
    }
}
