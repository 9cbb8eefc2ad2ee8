package org.segstream.contract;

/**
 * Text that came from outside (a record's key or header, a file name, a URL) made safe to echo in a
 * log line, an error message, a dead letter or a page: cut to a bounded length, with control
 * characters (a newline that would forge a log line, a NUL) written as escapes.
 */
public final class Untrusted {
    /** How much of an untrusted value is echoed: enough to recognise it, never enough to flood a log or a record. */
    public static final int ECHO_CHARS = 200;

    private Untrusted() {
    }

    /** {@code value} cut to {@link #ECHO_CHARS} characters, control characters escaped; "(null)" for null. */
    public static String echo(String value) {
        return echo(value, ECHO_CHARS);
    }

    /** {@code value} cut to {@code max} characters (saying how long it was), control characters escaped. */
    public static String echo(String value, int max) {
        if (value == null) {
            return "(null)";
        }
        int shown = Math.min(value.length(), max);
        StringBuilder out = new StringBuilder(shown + 16);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > max) {
            out.append("… (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }
}
