package org.segstream.segmenter;

import org.segstream.contract.BadRecordException;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.RecordKind;
import org.segstream.contract.StreamEnd;

/**
 * A frame (or an end-of-stream marker) admitted by a task and waiting for its turn to be forwarded.
 * Markers need no inference but keep their place in the task's order.
 */
final class PendingFrame {
    final StoredRecord record;
    final Object owner;
    final FrameIdentity identity; // null for an end-of-stream marker
    final BgrImage image;         // null for an end-of-stream marker
    BgrImage modelInput;          // the image at the size the model runs at (the frame itself in native mode)
    long queuedAtMillis;
    /** Wall clock when the task took the record (before decoding it): the mask's segmenter.in.ms. */
    long arrivedAtMillis;
    ClassMap result;
    String failure;
    /** Why the frame was shed without inference (e.g. "stale"); it gets no mask. */
    String dropped;

    private PendingFrame(StoredRecord record, Object owner, FrameIdentity identity, BgrImage image) {
        this.record = record;
        this.owner = owner;
        this.identity = identity;
        this.image = image;
    }

    /** Checks and decodes a frames-topic record; throws {@link BadRecordException} naming what is wrong. */
    static PendingFrame admit(StoredRecord record, Object owner, long maxPixels) {
        RecordKind kind = StreamEnd.kindOf(record.headers());
        if (kind == RecordKind.END) {
            StreamEnd.readFrom(record.headers()); // validates the marker's headers
            return new PendingFrame(record, owner, null, null);
        }
        FrameIdentity identity = FrameIdentity.readFrom(record.headers());
        if (!identity.stream().equals(record.key())) {
            throw new BadRecordException("record key '" + record.key() + "' differs from header stream '" + identity.stream() + "'");
        }
        if (!"jpeg".equals(identity.encoding())) {
            throw new BadRecordException("frame encoding '" + identity.encoding() + "' is not supported (expected jpeg)");
        }
        if ((long) identity.width() * identity.height() > maxPixels) {
            throw new BadRecordException("frame of " + identity.width() + "x" + identity.height()
                    + " is over the limit of " + maxPixels + " pixels");
        }
        BgrImage image = JpegCodec.decode(record.value(), maxPixels);
        if (image.width() != identity.width() || image.height() != identity.height()) {
            throw new BadRecordException("JPEG is " + image.width() + "x" + image.height() + " but the headers say "
                    + identity.width() + "x" + identity.height());
        }
        return new PendingFrame(record, owner, identity, image);
    }

    boolean isEnd() {
        return identity == null;
    }

    boolean done() {
        return isEnd() || result != null || failure != null || dropped != null;
    }
}
