package org.segstream.contract;

import org.apache.kafka.common.header.Headers;

/**
 * Where a frame is on the frames topic ({@code segstream.frame.partition}, {@code segstream.frame.offset}):
 * carried by its mask, shed marker or dead letter. Read as written, even where it cannot exist (a
 * negative offset, say): whoever looks the frame up refuses such a place.
 */
public record FramePosition(int partition, long offset) {

    public void writeTo(Headers headers) {
        HeaderValues.put(headers, HeaderNames.FRAME_PARTITION, partition);
        HeaderValues.put(headers, HeaderNames.FRAME_OFFSET, offset);
    }

    /** Throws {@link BadRecordException} if either header is missing or not an integer. */
    public static FramePosition readFrom(Headers headers) {
        long partition = HeaderValues.integer(headers, HeaderNames.FRAME_PARTITION);
        return new FramePosition((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, partition)),
                HeaderValues.integer(headers, HeaderNames.FRAME_OFFSET));
    }
}
