package org.segstream.contract;

import org.apache.kafka.common.header.Headers;

/**
 * The end-of-stream record: sent by ingest after the last frame of a session that ended cleanly,
 * forwarded by the segmenter after the session's last mask. {@code frameCount} is the number of
 * frames the session sent, so a reader knows what it should have seen.
 */
public record StreamEnd(String stream, String session, long frameCount) {

    public void writeTo(Headers headers) {
        HeaderNames.put(headers, HeaderNames.KIND, RecordKind.END.wire());
        HeaderNames.put(headers, HeaderNames.STREAM, stream);
        HeaderNames.put(headers, HeaderNames.SESSION, session);
        HeaderNames.put(headers, HeaderNames.SEQ, frameCount);
    }

    public static StreamEnd readFrom(Headers headers) {
        return new StreamEnd(
                HeaderNames.get(headers, HeaderNames.STREAM),
                HeaderNames.get(headers, HeaderNames.SESSION),
                HeaderNames.getLong(headers, HeaderNames.SEQ));
    }

    /** The kind of a record on the frames or masks topic. */
    public static RecordKind kindOf(Headers headers) {
        return RecordKind.fromWire(HeaderNames.get(headers, HeaderNames.KIND));
    }
}
