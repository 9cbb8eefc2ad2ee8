package org.segstream.contract;

import org.apache.kafka.common.header.Headers;

/**
 * The end-of-stream record: sent by ingest after the last frame of a session that ended cleanly,
 * forwarded by the segmenter after the session's last mask. {@code frameCount} is the number of
 * frames the session sent, so a reader knows what it should have seen. Its value is empty.
 */
public record StreamEnd(String stream, String session, long frameCount) implements FramesTopicRecord, MasksTopicRecord {

    public StreamEnd {
        if (frameCount < 0) {
            throw new BadRecordException("end record's frame count " + frameCount + " is negative");
        }
    }

    /** Writes the end record's headers ({@code segstream.kind=end}), replacing earlier ones of the same names. */
    public void writeTo(Headers headers) {
        HeaderValues.put(headers, HeaderNames.KIND, RecordKind.END.wire());
        HeaderValues.put(headers, HeaderNames.STREAM, stream);
        HeaderValues.put(headers, HeaderNames.SESSION, session);
        HeaderValues.put(headers, HeaderNames.SEQ, frameCount);
    }

    public static StreamEnd readFrom(Headers headers) {
        return new StreamEnd(
                HeaderValues.text(headers, HeaderNames.STREAM),
                HeaderValues.text(headers, HeaderNames.SESSION),
                HeaderValues.integer(headers, HeaderNames.SEQ));
    }

    /** The kind of a record on the frames or masks topic; throws if the header is missing or unknown. */
    public static RecordKind kindOf(Headers headers) {
        return RecordKind.fromWire(HeaderValues.text(headers, HeaderNames.KIND));
    }
}
