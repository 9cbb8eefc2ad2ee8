package org.segstream.sink;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * File names for what the sink writes. A stream id is data, not a path: it is mapped to a folder
 * name by an injective, reversible encoding that no id can turn into a path of its own.
 *
 * <p>The encoding keeps {@code a-z}, {@code 0-9}, {@code -}, {@code _} and {@code .} (but not as the
 * first character, so nothing is hidden and {@code .}/{@code ..} cannot occur); writes an upper-case
 * letter as {@code ^} and the letter in lower case (so {@code Cam} and {@code cam} stay apart on a
 * case-insensitive disk); and writes every other byte of the UTF-8 form as {@code %XX}. So
 * {@code Front door/1} becomes {@code ^front%20door%2F1}, and {@code ../x} becomes {@code %2E.%2Fx}.
 */
final class OutputNames {
    /** Longest folder name for a stream: far under the usual 255-byte limit of a file name. */
    static final int MAX_STREAM_NAME = 200;
    /** How much of a session's source name goes into its folder name (a label: the session id keeps it unique). */
    private static final int MAX_SOURCE_LABEL = 80;
    /** Longest session folder name: id, {@code _}, source label; under the 255 bytes a file name may have on Linux. */
    static final int MAX_SESSION_NAME = 250;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private OutputNames() {
    }

    /** The folder name of a stream; throws {@link IllegalArgumentException} for an empty id or one too long to be a name. */
    static String stream(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("the stream id is empty");
        }
        String name = encode(id, "", false);
        if (name.length() > MAX_STREAM_NAME) {
            throw new IllegalArgumentException("the stream id is too long for a folder name (" + name.length()
                    + " characters encoded, at most " + MAX_STREAM_NAME + ")");
        }
        return name;
    }

    /**
     * The folder of one session: its id, then {@code _} and the source's name where the frames carry
     * one (a folder source's file). The id's own {@code _} are escaped, so the first {@code _} separates.
     * The source name is a label (the id already makes the folder unique), so it keeps its upper-case
     * letters as they are: {@code REC_0001.MP4} stays readable. It is cut to 80 characters, and shorter
     * after a long id, so the folder name stays within {@link #MAX_SESSION_NAME} characters (a longer
     * one would fail on disk as "File name too long").
     */
    static String session(String session, String source) {
        if (session == null || session.isEmpty()) {
            throw new IllegalArgumentException("the session id is empty");
        }
        String name = encode(session, "_", false);
        if (name.length() > MAX_STREAM_NAME) {
            throw new IllegalArgumentException("the session id is too long for a folder name (" + name.length()
                    + " characters encoded, at most " + MAX_STREAM_NAME + ")");
        }
        if (source == null || source.isEmpty()) {
            return name;
        }
        int room = Math.min(MAX_SOURCE_LABEL, MAX_SESSION_NAME - name.length() - 1);
        String label = room <= 0 ? "" : cut(encode(source, "", true), room);
        return label.isEmpty() ? name : name + "_" + label;
    }

    /** A live segment's file name: the UTC capture time of its first frame, to the millisecond. */
    static String liveSegment(long captureTimeMs) {
        return UTC_MILLIS.format(Instant.ofEpochMilli(captureTimeMs)) + ".mp4";
    }

    /** A file session's overlay: its first frame's sequence number (a new file follows a resolution change). */
    static String fileOverlay(long firstSeq) {
        return String.format("overlay-%06d.mp4", firstSeq);
    }

    /** A mask's file name: the frame's sequence number in its session. */
    static String mask(long seq) {
        return String.format("%06d.png", seq);
    }

    private static String encode(String text, String alsoEscape, boolean keepUpperCase) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length + 8);
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xff;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_' || (b == '.' && i > 0)
                    || (keepUpperCase && b >= 'A' && b <= 'Z');
            if (plain && alsoEscape.indexOf(b) < 0) {
                out.append((char) b);
            } else if (b >= 'A' && b <= 'Z') {
                out.append('^').append((char) (b + ('a' - 'A')));
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 15]);
            }
        }
        return out.toString();
    }

    /** At most {@code max} characters, never ending inside a {@code %XX} or {@code ^x} escape. */
    private static String cut(String encoded, int max) {
        if (encoded.length() <= max) {
            return encoded;
        }
        int end = max;
        for (int back = 1; back <= Math.min(2, end); back++) {
            char c = encoded.charAt(end - back);
            if (c == '%' || (c == '^' && back == 1)) {
                end -= back;
                break;
            }
        }
        return encoded.substring(0, end);
    }
}
