package org.segstream.config;

/**
 * A setting segstream cannot run with: one line naming the setting, the value given and what is
 * allowed ({@code SEGSTREAM_BATCH_SIZE is 'four', expected a whole number from 1 to 256}).
 */
public final class ConfigException extends IllegalArgumentException {

    public ConfigException(String message) {
        super(message);
    }

    /** {@code text} cut to 80 characters with control characters escaped, so a refusal stays one readable line. */
    static String cut(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 80; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.length() < text.length() && text.length() > 80 ? out + "..." : out.toString();
    }
}
