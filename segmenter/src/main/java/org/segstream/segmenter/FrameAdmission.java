package org.segstream.segmenter;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.segstream.contract.BadRecordException;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegStructure;
import org.segstream.contract.RecordKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.contract.Untrusted;

/**
 * Decides whether a frames-topic record is something the segmenter takes, cheapest checks first, so
 * that what a record costs is bounded before it costs it: its shape (key, header and value sizes, so it
 * fits the pending-frames store and every record made from it), its identity, room for its stream, the
 * JPEG's structure and declared size. The decoder runs later, when the frame's batch forms ({@link FrameBatcher}). Every refusal names the input (through
 * {@link Untrusted#echo}) and what is wrong with it.
 */
final class FrameAdmission {
    /** A frame's headers are short strings; the longest in the contract is a file name of 255 characters. */
    static final int MAX_HEADER_VALUE_BYTES = 1024;
    static final int MAX_HEADER_NAME_BYTES = 128;
    static final int MAX_HEADERS = 64;
    /**
     * Ingest sends at most {@link Topics#MAX_FRAME_BYTES}; the store entry and the mask (value plus the frame's headers) must fit
     * {@link Topics#MAX_RECORD_BYTES}, and a producer's compression could have carried more.
     */
    static final int MAX_VALUE_BYTES = Topics.MAX_RECORD_BYTES - 256 * 1024;

    /** A valid frame of a new stream while {@link ActiveStreams} is full. */
    static final class TooManyStreams extends BadRecordException {
        TooManyStreams(String message) {
            super(message);
        }
    }

    private final long maxFramePixels;
    private final ActiveStreams streams;
    private final int maxStreams;

    FrameAdmission(InputLimits limits, ActiveStreams streams) {
        this.maxFramePixels = limits.maxFramePixels();
        this.maxStreams = limits.maxStreams();
        this.streams = streams;
    }

    /**
     * The record as a frame (or end marker) to segment, its JPEG checked but not decoded, its stream noted as active at {@code nowMs};
     * throws {@link TooManyStreams} or another {@link BadRecordException} naming what is wrong.
     */
    PendingFrame admit(StoredRecord record, Object owner, long nowMs) {
        checkShape(record);
        RecordKind kind = StreamEnd.kindOf(record.headers());
        if (kind == RecordKind.END) {
            StreamEnd.readFrom(record.headers()); // validates the marker's headers
            return PendingFrame.end(record, owner);
        }
        if (kind != RecordKind.FRAME) {
            throw new BadRecordException("a record of kind '" + kind.wire() + "' does not belong on the frames topic");
        }
        FrameIdentity identity = FrameIdentity.readFrom(record.headers());
        if (!identity.stream().equals(record.key())) {
            throw new BadRecordException("record key '" + Untrusted.echo(record.key()) + "' differs from header stream '"
                    + Untrusted.echo(identity.stream()) + "'");
        }
        if (!"jpeg".equals(identity.encoding())) {
            throw new BadRecordException("frame encoding '" + Untrusted.echo(identity.encoding()) + "' is not supported (expected jpeg)");
        }
        if ((long) identity.width() * identity.height() > maxFramePixels) {
            throw new BadRecordException("frame of " + identity.width() + "x" + identity.height()
                    + " is over the limit of " + maxFramePixels + " pixels");
        }
        if (!streams.hasRoomFor(identity.stream(), nowMs)) {
            throw tooMany(identity.stream());
        }
        JpegStructure jpeg = JpegStructure.check(record.value());
        if (jpeg.width() != identity.width() || jpeg.height() != identity.height()) {
            throw new BadRecordException("JPEG is " + jpeg.width() + "x" + jpeg.height() + " but the headers say "
                    + identity.width() + "x" + identity.height());
        }
        // Not decoded here: the batcher decodes it when its batch forms (a frame that waits costs its JPEG bytes only).
        if (!streams.seen(identity.stream(), nowMs)) {
            throw tooMany(identity.stream()); // another thread took the last place meanwhile
        }
        return PendingFrame.frame(record, owner, identity, jpeg);
    }

    /** Sizes first: nothing below may echo, parse or store more than these. */
    private static void checkShape(StoredRecord record) {
        if (record.value().length > MAX_VALUE_BYTES) {
            throw new BadRecordException("value of " + record.value().length + " bytes is over the limit of " + MAX_VALUE_BYTES);
        }
        Header[] headers = record.headers().toArray();
        if (headers.length > MAX_HEADERS) {
            throw new BadRecordException(headers.length + " headers, over the limit of " + MAX_HEADERS);
        }
        for (Header h : headers) {
            int name = h.key().getBytes(StandardCharsets.UTF_8).length;
            if (name > MAX_HEADER_NAME_BYTES) {
                throw new BadRecordException("a header name of " + name + " bytes ('" + Untrusted.echo(h.key(), 40)
                        + "') is over the limit of " + MAX_HEADER_NAME_BYTES);
            }
            if (h.value() != null && h.value().length > MAX_HEADER_VALUE_BYTES) {
                throw new BadRecordException("header " + Untrusted.echo(h.key(), 40) + " is " + h.value().length
                        + " bytes, over the limit of " + MAX_HEADER_VALUE_BYTES);
            }
        }
        // The key is the stream id, a header value too (checked against it below); a longer one can match no header.
        int key = record.key() == null ? 0 : record.key().getBytes(StandardCharsets.UTF_8).length;
        if (key > MAX_HEADER_VALUE_BYTES) {
            throw new BadRecordException("record key of " + key + " bytes is over the limit of " + MAX_HEADER_VALUE_BYTES);
        }
    }

    private TooManyStreams tooMany(String stream) {
        return new TooManyStreams("stream '" + Untrusted.echo(stream) + "' is refused: the segmenter already keeps "
                + maxStreams + " active streams (SEGSTREAM_MAX_STREAMS; a stream is forgotten after SEGSTREAM_STREAM_IDLE_SECONDS without a frame)");
    }
}
