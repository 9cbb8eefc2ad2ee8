package org.segstream.contract;

/**
 * The end-of-stream record: sent by ingest after the last frame of a session that ended cleanly,
 * forwarded by the segmenter after the session's last mask. {@code frameCount} is the number of
 * frames the session sent, so a reader knows what it should have seen.
 */
public record StreamEnd(String stream, String session, long frameCount) {

    public void writeTo(org.apache.kafka.common.header.Headers headers) {
        Headers.put(headers, Headers.KIND, RecordKind.END.wire());
        Headers.put(headers, Headers.STREAM, stream);
        Headers.put(headers, Headers.SESSION, session);
        Headers.put(headers, Headers.SEQ, frameCount);
    }

    public static StreamEnd readFrom(org.apache.kafka.common.header.Headers headers) {
        return new StreamEnd(
                Headers.get(headers, Headers.STREAM),
                Headers.get(headers, Headers.SESSION),
                Headers.getLong(headers, Headers.SEQ));
    }

    /** The kind of a record on the frames or masks topic. */
    public static RecordKind kindOf(org.apache.kafka.common.header.Headers headers) {
        return RecordKind.fromWire(Headers.get(headers, Headers.KIND));
    }
}
