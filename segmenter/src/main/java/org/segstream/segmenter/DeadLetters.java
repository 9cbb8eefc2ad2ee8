package org.segstream.segmenter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.segstream.contract.DeadLetter;
import org.segstream.contract.FramePosition;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.Topics;
import org.segstream.contract.Untrusted;

/**
 * Makes the {@link DeadLetter} of a refused frames-topic record: the record as it came (key, headers, value) plus
 * {@code segstream.error} and where it was on the frames topic, built so that it always fits the
 * dead-letter topic, whatever the record held. A record that could not be dead-lettered would stop the
 * stream thread, and stop it again after every restart.
 *
 * <ul>
 *   <li>A header value over {@link #MAX_HEADER_VALUE_BYTES} is cut to that, a header name over
 *       {@link #MAX_HEADER_NAME_BYTES} is left out, and so is every header past the first
 *       {@link #MAX_HEADERS}; the reason says which.</li>
 *   <li>A key over {@link #MAX_KEY_BYTES} is replaced by its {@link Untrusted#echo}.</li>
 *   <li>If the record would still be over {@link #MAX_BYTES}, a small one is sent instead: no value, only
 *       the contract's identity headers whose values are short, the frame's position and the reason.</li>
 * </ul>
 */
final class DeadLetters {
    static final int MAX_HEADER_VALUE_BYTES = 256;
    static final int MAX_HEADER_NAME_BYTES = 128;
    static final int MAX_HEADERS = 64;
    static final int MAX_KEY_BYTES = 1024;
    /** The longest {@code segstream.error}, in characters. */
    static final int MAX_REASON_CHARS = DeadLetter.MAX_ERROR_CHARS;
    /** The topic's limit less room for the record batch's own overhead and the headers added here. */
    static final int MAX_BYTES = Topics.MAX_RECORD_BYTES - 64 * 1024;
    /** Kafka's per-header overhead is a few varints; counted generously. */
    private static final int HEADER_OVERHEAD = 16;

    /** The frame identity headers a small dead letter keeps (when their values are short). */
    private static final Set<String> IDENTITY = Set.of(HeaderNames.KIND, HeaderNames.STREAM, HeaderNames.SESSION, HeaderNames.SEQ,
            HeaderNames.PTS_US, HeaderNames.CAPTURE_MS, HeaderNames.INGEST_MS, HeaderNames.WIDTH, HeaderNames.HEIGHT, HeaderNames.FPS,
            HeaderNames.ENCODING, HeaderNames.SOURCE_KIND, HeaderNames.SOURCE);
    /** Headers this class sets itself; the record's own values of them are not kept. */
    private static final Set<String> OWN = Set.of(HeaderNames.ERROR, HeaderNames.FRAME_PARTITION, HeaderNames.FRAME_OFFSET);

    private DeadLetters() {
    }

    /** The dead letter of {@code in}, refused for {@code reason}; its serializer adds the error and the frame's position. */
    static Record<String, DeadLetter> of(StoredRecord in, String reason) { // whole: one pass bounding the letter, each step sizing the next
        List<String> notes = new ArrayList<>();
        String key = in.key();
        if (key != null && utf8Length(key) > MAX_KEY_BYTES) {
            notes.add("key of " + utf8Length(key) + " bytes shortened");
            key = Untrusted.echo(key);
        }
        var headers = new RecordHeaders();
        var whole = new RecordHeaders(); // the identity headers kept uncut, for a small dead letter
        List<String> cut = new ArrayList<>();
        int kept = 0;
        int leftOut = 0;
        long headerBytes = 0;
        for (Header h : in.headers().toArray()) {
            if (OWN.contains(h.key())) {
                continue;
            }
            byte[] name = h.key().getBytes(StandardCharsets.UTF_8);
            if (name.length > MAX_HEADER_NAME_BYTES || kept >= MAX_HEADERS) {
                leftOut++;
                continue;
            }
            byte[] value = h.value();
            if (value != null && value.length > MAX_HEADER_VALUE_BYTES) {
                cut.add(Untrusted.echo(h.key(), 40) + " (" + value.length + " bytes)");
                value = cutUtf8(value, MAX_HEADER_VALUE_BYTES);
            } else if (IDENTITY.contains(h.key())) {
                whole.add(h.key(), value);
            }
            headers.add(h.key(), value);
            kept++;
            headerBytes += name.length + (value == null ? 0 : value.length) + HEADER_OVERHEAD;
        }
        if (!cut.isEmpty()) {
            notes.add("header values cut to " + MAX_HEADER_VALUE_BYTES + " bytes: " + summary(cut));
        }
        if (leftOut > 0) {
            notes.add(leftOut + " headers left out (name over " + MAX_HEADER_NAME_BYTES + " bytes, or past " + MAX_HEADERS + " headers)");
        }
        byte[] value = in.value();
        long size = (key == null ? 0 : utf8Length(key)) + (value == null ? 0 : value.length) + headerBytes;
        if (size > MAX_BYTES) {
            notes.add("value of " + (value == null ? 0 : value.length) + " bytes and all but the identity headers left out: "
                    + "the dead letter would be " + size + " bytes, over the " + MAX_BYTES + " that fit its topic");
            headers = whole;
            value = null;
        }
        String error = notes.isEmpty() ? reason : reason + " [dead letter: " + String.join("; ", notes) + "]";
        return new Record<>(key, new DeadLetter(error, new FramePosition(in.partition(), in.offset()), value), in.timestamp(), headers);
    }

    private static String summary(List<String> items) {
        int shown = Math.min(3, items.size());
        String listed = String.join(", ", items.subList(0, shown));
        return items.size() > shown ? listed + " and " + (items.size() - shown) + " more" : listed;
    }

    /** At most {@code max} bytes of {@code value}, not splitting a UTF-8 sequence. */
    static byte[] cutUtf8(byte[] value, int max) {
        int end = max;
        while (end > 0 && (value[end] & 0xC0) == 0x80) {
            end--; // value[end] continues a character that starts before it: cut before that character
        }
        return java.util.Arrays.copyOf(value, end);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
