package org.segstream.contract;

import org.apache.kafka.common.header.Headers;

/**
 * A shed marker on the masks topic ({@code segstream.kind=shed}, empty value): a live frame the segmenter
 * shed instead of segmenting, with the frame's identity headers as they were, why
 * ({@code segstream.shed.reason}: {@code stale}, {@code deadline} or {@code overload}), where the frame is,
 * and the segmenter's times. It takes the frame's place in its stream's order.
 */
public record ShedMarker(FrameIdentity frame, String reason, FramePosition framePosition, SegmenterTimes times)
        implements MasksTopicRecord {

    public ShedMarker {
        if (frame == null || reason == null || framePosition == null || times == null) {
            throw new IllegalArgumentException("a shed marker needs its frame, a reason, the frame's position and the segmenter's times");
        }
    }

    void writeTo(Headers headers) {
        frame.writeTo(headers);
        HeaderValues.put(headers, HeaderNames.KIND, RecordKind.SHED.wire());
        HeaderValues.put(headers, HeaderNames.SHED_REASON, reason);
        framePosition.writeTo(headers);
        times.writeTo(headers);
    }

    static ShedMarker readFrom(Headers headers) {
        return new ShedMarker(FrameIdentity.readFrom(headers), HeaderValues.text(headers, HeaderNames.SHED_REASON),
                FramePosition.readFrom(headers), SegmenterTimes.readFrom(headers));
    }
}
