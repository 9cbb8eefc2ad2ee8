package org.segstream.contract;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The largest record a reader takes from a topic, checked before anything else is parsed, echoed or
 * stored: how many headers, how long a header name and value, how large the value (docs/topics.md,
 * "Values"). Frame headers are short strings (the longest, a file name, is 255 characters).
 */
public record RecordLimits(int maxHeaders, int maxHeaderNameBytes, int maxHeaderValueBytes, int maxValueBytes) {
    /**
     * A frame record. Ingest sends at most {@link Topics#MAX_FRAME_BYTES}; the segmenter's store entry and the mask
     * (value plus the frame's headers) must fit {@link Topics#MAX_RECORD_BYTES}, and a producer's compression could
     * have carried more.
     */
    public static final RecordLimits FRAMES = new RecordLimits(64, 128, 1024, Topics.MAX_RECORD_BYTES - 256 * 1024);
    /** A mask or shed marker: a frame's headers plus the few the segmenter adds. */
    public static final RecordLimits MASKS = new RecordLimits(FRAMES.maxHeaders + 16, 128, 1024, Topics.MAX_RECORD_BYTES);

    /** Throws {@link BadRecordException} saying which limit the record is over. */
    public void check(Headers headers, byte[] value) {
        if (value != null && value.length > maxValueBytes) {
            throw new BadRecordException("value of " + value.length + " bytes is over the limit of " + maxValueBytes);
        }
        Header[] all = headers.toArray();
        if (all.length > maxHeaders) {
            throw new BadRecordException(all.length + " headers, over the limit of " + maxHeaders);
        }
        for (Header h : all) {
            int name = h.key().getBytes(StandardCharsets.UTF_8).length;
            if (name > maxHeaderNameBytes) {
                throw new BadRecordException("a header name of " + name + " bytes ('" + Untrusted.echo(h.key(), 40)
                        + "') is over the limit of " + maxHeaderNameBytes);
            }
            if (h.value() != null && h.value().length > maxHeaderValueBytes) {
                throw new BadRecordException("header " + Untrusted.echo(h.key(), 40) + " is " + h.value().length
                        + " bytes, over the limit of " + maxHeaderValueBytes);
            }
        }
    }
}
