package org.segstream.contract;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads and writes the contract's header values ({@link HeaderNames}): UTF-8 strings, numbers in
 * decimal. Reading is strict: a header that is missing, not UTF-8 or not the number it should be
 * throws a {@link BadRecordException} naming the header, with the offending value echoed in capped,
 * escaped form ({@link Untrusted}). Where a header is repeated, the last one counts.
 */
public final class HeaderValues {
    private HeaderValues() {
    }

    /** The header's text; throws if it is missing or not UTF-8. */
    public static String text(Headers headers, String name) {
        String value = optionalText(headers, name);
        if (value == null) {
            throw new BadRecordException("missing header " + name);
        }
        return value;
    }

    /** The header's text, or null when the record has no such header; throws if it is not UTF-8. */
    public static String optionalText(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header.value()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadRecordException("header " + name + " is not UTF-8 (" + header.value().length + " bytes)");
        }
    }

    /** The header's integer value; throws if it is missing or not a decimal integer. */
    public static long integer(Headers headers, String name) {
        return parse(name, text(headers, name));
    }

    /** The header's integer value, or {@code absent} when the record has no such header; throws if it is not an integer. */
    public static long optionalInteger(Headers headers, String name, long absent) {
        String value = optionalText(headers, name);
        return value == null ? absent : parse(name, value);
    }

    /**
     * The header's integer value, or {@code absent} when it is missing or unreadable: for informative
     * headers (timings) whose absence or damage must not cost the record.
     */
    public static long integerOr(Headers headers, String name, long absent) {
        try {
            return optionalInteger(headers, name, absent);
        } catch (BadRecordException e) {
            return absent;
        }
    }

    /** The header's value as a number (e.g. a frame rate); throws if it is missing or not a number. */
    public static double decimal(Headers headers, String name) {
        String value = text(headers, name);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new BadRecordException("header " + name + " is '" + Untrusted.echo(value) + "', expected a number");
        }
    }

    /** Sets the header to {@code value}, replacing any earlier header of that name. */
    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public static void put(Headers headers, String name, long value) {
        put(headers, name, Long.toString(value));
    }

    private static long parse(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BadRecordException("header " + name + " is '" + Untrusted.echo(value) + "', expected an integer");
        }
    }
}
