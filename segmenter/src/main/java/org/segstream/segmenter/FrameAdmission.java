package org.segstream.segmenter;

import java.nio.charset.StandardCharsets;
import org.segstream.contract.BadRecordException;
import org.segstream.contract.Frame;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.JpegStructure;
import org.segstream.contract.RecordLimits;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Unreadable;
import org.segstream.contract.Untrusted;

/**
 * Decides whether a frames-topic record is something the segmenter takes, cheapest checks first, so
 * that what a record costs is bounded before it costs it. The frames topic's Serde has already read the
 * headers with the contract's limits and checks ({@link RecordLimits#FRAMES}: sizes that fit the
 * pending-frames store and every record made from it, then the identity); here come the key, room for
 * its stream, the JPEG's structure and declared size. The decoder runs later, when the frame's batch forms
 * ({@link FrameBatcher}). Every refusal names the input (through {@link Untrusted#echo}) and what is wrong with it.
 */
final class FrameAdmission {
    /** The key is the stream id, a header value too (checked against it): a longer one can match no header. */
    static final int MAX_KEY_BYTES = RecordLimits.FRAMES.maxHeaderValueBytes();

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
     * As {@link #admit}, a refusal as the record's outcome: refused with its reason and dead-letter kind (a dead letter
     * in its place). Never throws for what the record holds.
     */
    PendingFrame admitOrRefuse(StoredRecord record, FramesTopicRecord value, Object owner, long nowMs) {
        try {
            return admit(record, value, owner, nowMs);
        } catch (TooManyStreams e) {
            return PendingFrame.refused(record, owner, e.getMessage(), SegmentProcessor.TOO_MANY_STREAMS);
        } catch (BadRecordException e) {
            return PendingFrame.refused(record, owner, e.getMessage(), SegmentProcessor.INVALID);
        } catch (RuntimeException e) {
            // Not a check that refused it but a failure while checking or decoding it (a decoder bug, say): still the record's.
            return PendingFrame.refused(record, owner, "could not admit the record: " + e, SegmentProcessor.ERROR);
        }
    }

    /**
     * {@code value}, the frames topic's reading of {@code record}, as a frame (or end marker) to segment, its JPEG checked but not
     * decoded, its stream noted as active at {@code nowMs}; throws {@link TooManyStreams} or another {@link BadRecordException}
     * naming what is wrong.
     */
    PendingFrame admit(StoredRecord record, FramesTopicRecord value, Object owner, long nowMs) {
        int key = record.key() == null ? 0 : record.key().getBytes(StandardCharsets.UTF_8).length;
        if (key > MAX_KEY_BYTES) {
            throw new BadRecordException("record key of " + key + " bytes is over the limit of " + MAX_KEY_BYTES);
        }
        if (value instanceof Unreadable unreadable) {
            throw new BadRecordException(unreadable.reason());
        }
        if (value instanceof StreamEnd end) {
            return PendingFrame.end(record, owner, end);
        }
        FrameIdentity identity = ((Frame) value).identity();
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

    private TooManyStreams tooMany(String stream) {
        return new TooManyStreams("stream '" + Untrusted.echo(stream) + "' is refused: the segmenter already keeps "
                + maxStreams + " active streams (SEGSTREAM_MAX_STREAMS; a stream is forgotten after SEGSTREAM_STREAM_IDLE_SECONDS without a frame)");
    }
}
