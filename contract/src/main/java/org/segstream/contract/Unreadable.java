package org.segstream.contract;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record that breaks the topic contract, as a deserializer hands it over instead of failing the
 * consumer: why ({@code reason}, untrusted parts already capped and escaped), what could be read of it
 * (its stream and kind, null where they are missing or unreadable; the stream is still untrusted text)
 * and its value as it came, for a dead letter. Nothing of it is trusted.
 */
public record Unreadable(String reason, String stream, RecordKind kind, byte[] value) implements FramesTopicRecord, MasksTopicRecord {
    /** Longest stream header kept for labels and messages; a longer one is no stream id the contract allows. */
    private static final int MAX_STREAM_BYTES = 1024;

    static Unreadable of(BadRecordException why, Headers headers, byte[] value) {
        return new Unreadable(why.getMessage(), streamOf(headers), kindOf(headers), value);
    }

    private static String streamOf(Headers headers) {
        Header header = headers.lastHeader(HeaderNames.STREAM);
        if (header == null || header.value() == null || header.value().length > MAX_STREAM_BYTES) {
            return null;
        }
        try {
            return HeaderValues.optionalText(headers, HeaderNames.STREAM);
        } catch (BadRecordException notUtf8) {
            return null;
        }
    }

    private static RecordKind kindOf(Headers headers) {
        try {
            return StreamEnd.kindOf(headers);
        } catch (BadRecordException unknown) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "Unreadable[" + reason + "]";
    }
}
