package org.segstream.contract;

import java.util.Arrays;
import org.apache.kafka.common.header.Headers;

/**
 * A dead letter on the dead-letters topic: a frames-topic record the segmenter refused, its value as it
 * came (null where it was too large to keep), why ({@code segstream.error}, written as one line of at
 * most {@link #MAX_ERROR_CHARS} characters, control characters escaped) and where the record is on the
 * frames topic. The refused record's own headers travel beside these, cut to fit (the writer's business).
 * A reader takes a dead letter as it finds it: {@code error} and {@code framePosition} are null where
 * the record does not say.
 */
public record DeadLetter(String error, FramePosition framePosition, byte[] value) implements TopicValue {
    public static final int MAX_ERROR_CHARS = 1000;

    void writeTo(Headers headers) {
        if (error != null) {
            HeaderValues.put(headers, HeaderNames.ERROR, Untrusted.echo(error, MAX_ERROR_CHARS)); // one line, capped
        }
        if (framePosition != null) {
            framePosition.writeTo(headers);
        }
    }

    static DeadLetter readFrom(Headers headers, byte[] value) {
        String error;
        try {
            error = HeaderValues.optionalText(headers, HeaderNames.ERROR);
        } catch (BadRecordException notUtf8) {
            error = notUtf8.getMessage();
        }
        FramePosition position;
        try {
            position = FramePosition.readFrom(headers);
        } catch (BadRecordException missing) {
            position = null;
        }
        return new DeadLetter(error, position, value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeadLetter that && java.util.Objects.equals(error, that.error)
                && java.util.Objects.equals(framePosition, that.framePosition) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(error, framePosition, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "DeadLetter[" + error + ", " + framePosition + ", " + (value == null ? "no value" : value.length + " bytes") + "]";
    }
}
