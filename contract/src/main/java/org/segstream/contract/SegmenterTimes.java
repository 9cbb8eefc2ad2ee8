package org.segstream.contract;

import org.apache.kafka.common.header.Headers;

/**
 * When the segmenter admitted a frame and when it forwarded the frame's mask or shed marker, epoch
 * milliseconds on the segmenter's clock ({@code segstream.segmenter.in.ms}, {@code .out.ms}); -1 where a
 * record does not say (an older segmenter's, or a damaged value: timings never cost a record).
 */
public record SegmenterTimes(long inMs, long outMs) {
    public static final SegmenterTimes UNKNOWN = new SegmenterTimes(-1, -1);

    public void writeTo(Headers headers) {
        put(headers, HeaderNames.SEGMENTER_IN_MS, inMs);
        put(headers, HeaderNames.SEGMENTER_OUT_MS, outMs);
    }

    public static SegmenterTimes readFrom(Headers headers) {
        return new SegmenterTimes(HeaderValues.integerOr(headers, HeaderNames.SEGMENTER_IN_MS, -1),
                HeaderValues.integerOr(headers, HeaderNames.SEGMENTER_OUT_MS, -1));
    }

    private static void put(Headers headers, String name, long value) {
        if (value >= 0) {
            HeaderValues.put(headers, name, value);
        } else {
            headers.remove(name);
        }
    }
}
