package org.segstream.segmenter;

import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegStructure;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;

/**
 * A record admitted by a task and waiting for its turn to be forwarded: a frame, an end-of-stream
 * marker (needs no inference but keeps its place in the task's order), or a record refused on its way
 * back from the pending-frames store (forwarded as a dead letter in its place).
 */
final class PendingFrame {
    final StoredRecord record;
    final Object owner;
    final FrameIdentity identity; // null for an end-of-stream marker or a refused record
    final StreamEnd end; // the end-of-stream marker; null for a frame or a refused record
    /**
     * The frame's checked JPEG header; the JPEG itself stays in {@link #record} and is decoded only when
     * the frame's batch forms, so frames waiting their turn cost their compressed bytes, not their pixels.
     */
    final JpegStructure jpeg;
    /** The image at the size the model runs at (the frame itself in native mode), from batch forming to inference. */
    BgrImage modelInput;
    /** The size the model runs this frame at (set by the batcher). */
    int modelWidth;
    int modelHeight;
    /** Capture (or ingest) time plus the maximum frame age: a live frame not segmented by then is shed. */
    long deadlineMillis;
    long queuedAtMillis;
    /** Wall clock when the task took the record (before decoding it): the mask's segmenter.in.ms. */
    long arrivedAtMillis;
    ClassMap result;
    /** Why the frame gets a dead letter instead of a mask, and the fixed word it is counted under. */
    String failure;
    String failureKind;
    /** Why the frame was shed without inference (a fixed word, e.g. "stale"); it gets a shed marker instead of a mask. */
    String dropped;

    private PendingFrame(StoredRecord record, Object owner, FrameIdentity identity, StreamEnd end, JpegStructure jpeg) {
        this.record = record;
        this.owner = owner;
        this.identity = identity;
        this.end = end;
        this.jpeg = jpeg;
    }

    static PendingFrame frame(StoredRecord record, Object owner, FrameIdentity identity, JpegStructure jpeg) {
        return new PendingFrame(record, owner, identity, null, jpeg);
    }

    static PendingFrame end(StoredRecord record, Object owner, StreamEnd end) {
        return new PendingFrame(record, owner, null, end, null);
    }

    static PendingFrame refused(StoredRecord record, Object owner, String reason, String kind) {
        var frame = new PendingFrame(record, owner, null, null, null);
        frame.fail(reason, kind);
        return frame;
    }

    void fail(String reason, String kind) {
        failure = reason;
        failureKind = kind;
    }

    boolean isEnd() {
        return end != null && failure == null;
    }

    /** A frame to segment (not a marker, not refused). */
    boolean isFrame() {
        return identity != null;
    }

    /** A live camera's frame: it has a deadline and may be shed. */
    boolean isLive() {
        return identity != null && identity.sourceKind() == SourceKind.LIVE;
    }

    boolean done() {
        return isEnd() || result != null || failure != null || dropped != null;
    }
}
