package org.segstream.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting a user gives by name (an environment variable or a command-line option): what it takes
 * and its default. {@link #parse} turns a value into its type or refuses it with one line naming the
 * setting, the value and what is allowed ({@link ConfigException}), the same way for every setting.
 *
 * @param name         {@code SEGSTREAM_BATCH_SIZE}, {@code --batch-size}
 * @param allowed      what a value may be, as the refusal says it: "a whole number from 1 to 256"
 * @param defaultValue the value when the setting is absent or blank (null: none)
 * @param convert      from the trimmed text; throws IllegalArgumentException (NumberFormatException too)
 *                     or returns null to refuse it, and the refusal says what {@code allowed} says
 * @param secret       a refused value is not repeated (it may be a password)
 */
public record Setting<T>(String name, String allowed, T defaultValue, Function<String, T> convert, boolean secret) {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,6})x(\\d{1,6})");

    public Setting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(allowed, "allowed");
        Objects.requireNonNull(convert, "convert");
    }

    /** A setting whose value {@code convert} checks (it throws IllegalArgumentException or returns null to refuse one). */
    public static <T> Setting<T> of(String name, T defaultValue, String allowed, Function<String, T> convert) {
        return new Setting<>(name, allowed, defaultValue, convert, false);
    }

    /** Any text that is not blank. */
    public static Setting<String> text(String name, String defaultValue) {
        return of(name, defaultValue, "some text", text -> text);
    }

    /** Any text, never repeated in an error. */
    public static Setting<String> secret(String name) {
        return new Setting<>(name, "some text", null, text -> text, true);
    }

    public static Setting<Path> path(String name, Path defaultValue) {
        return of(name, defaultValue, "a file or folder name", Path::of);
    }

    /** A whole number in {@code min..max}. */
    public static Setting<Integer> wholeNumber(String name, Integer defaultValue, int min, int max) {
        return of(name, defaultValue, "a whole number " + range(min, max), text -> {
            int value = Integer.parseInt(text);
            return value >= min && value <= max ? value : null;
        });
    }

    /** A whole number in {@code min..max}, as a long. */
    public static Setting<Long> longNumber(String name, Long defaultValue, long min, long max) {
        return of(name, defaultValue, "a whole number " + range(min, max), text -> {
            long value = Long.parseLong(text);
            return value >= min && value <= max ? value : null;
        });
    }

    /** A port: 0 to 65535, or -1 for none ("off"). */
    public static Setting<Integer> port(String name, int defaultValue) {
        return of(name, defaultValue, "a port number from 0 to 65535 (-1: off)", text -> {
            int value = Integer.parseInt(text);
            return value >= -1 && value <= 65535 ? value : null;
        });
    }

    /** A decimal number in {@code min..max} (finite). */
    public static Setting<Double> number(String name, Double defaultValue, double min, double max) {
        return of(name, defaultValue, "a number " + range(min, max), text -> {
            double value = Double.parseDouble(text);
            return value >= min && value <= max ? value : null;
        });
    }

    /** A decimal number above 0. */
    public static Setting<Double> positiveNumber(String name, Double defaultValue) {
        return of(name, defaultValue, "a number above 0", text -> {
            double value = Double.parseDouble(text);
            return value > 0 && Double.isFinite(value) ? value : null;
        });
    }

    /** {@code true}/{@code false} ({@code yes}/{@code no} and {@code 1}/{@code 0} too, any case). */
    public static Setting<Boolean> flag(String name, boolean defaultValue) {
        return of(name, defaultValue, "true or false", text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Boolean.TRUE;
            case "false", "no", "0" -> Boolean.FALSE;
            default -> null;
        });
    }

    /** One of {@code choices}, exactly as written. */
    public static Setting<String> oneOf(String name, String defaultValue, String... choices) {
        List<String> allowed = List.of(choices);
        return of(name, defaultValue, "one of " + String.join(", ", allowed), text -> allowed.contains(text) ? text : null);
    }

    /** A number of pixels, at least 1: a whole number ({@code 8294400}) or a size ({@code 3840x2160}). */
    public static Setting<Long> pixels(String name, long defaultValue) {
        return of(name, defaultValue, "a number of pixels or WxH (e.g. 3840x2160)", text -> {
            Matcher size = SIZE.matcher(text);
            long value = size.matches() ? Long.parseLong(size.group(1)) * Long.parseLong(size.group(2)) : Long.parseLong(text);
            return value >= 1 ? value : null;
        });
    }

    /**
     * The value of {@code text}: the default where it is null or blank, else its trimmed text converted.
     *
     * @throws ConfigException naming this setting, the value and what is allowed
     */
    public T parse(String text) {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        T value;
        try {
            value = convert.apply(text.trim());
        } catch (IllegalArgumentException e) { // NumberFormatException too: `allowed` says more than its text
            value = null;
        }
        if (value == null) {
            throw new ConfigException(name + " is " + (secret ? "(hidden)" : "'" + ConfigException.cut(text) + "'")
                    + ", expected " + allowed);
        }
        return value;
    }

    /** The same setting under another default. */
    public Setting<T> withDefault(T newDefault) {
        return new Setting<>(name, allowed, newDefault, convert, secret);
    }

    private static String range(long min, long max) {
        if (max == Integer.MAX_VALUE || max == Long.MAX_VALUE) {
            return min == 1 ? "above 0" : "of at least " + min;
        }
        return "from " + min + " to " + max;
    }

    private static String range(double min, double max) {
        return "from " + shown(min) + " to " + shown(max);
    }

    private static String shown(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
    }
}
