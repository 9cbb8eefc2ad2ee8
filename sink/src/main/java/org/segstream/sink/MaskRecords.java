package org.segstream.sink;

import org.segstream.contract.FrameIdentity;
import org.segstream.contract.Mask;
import org.segstream.contract.MasksTopicRecord;
import org.segstream.contract.RecordKind;
import org.segstream.contract.ShedMarker;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Unreadable;

/** What the sink asks of a masks-topic record as the topic's Serde read it ({@link MasksTopicRecord}). */
final class MaskRecords {
    private MaskRecords() {
    }

    /** The frame of a mask or shed marker. */
    static FrameIdentity frameOf(MasksTopicRecord value) {
        if (value instanceof Mask mask) {
            return mask.frame();
        }
        if (value instanceof ShedMarker shed) {
            return shed.frame();
        }
        throw new IllegalArgumentException("not a mask or shed marker: " + value);
    }

    /** The record's stream as far as it could be read (null if not at all): untrusted, for labels and messages only. */
    static String streamOf(MasksTopicRecord value) {
        if (value instanceof Mask || value instanceof ShedMarker) {
            return frameOf(value).stream();
        }
        if (value instanceof StreamEnd end) {
            return end.stream();
        }
        return value instanceof Unreadable unreadable ? unreadable.stream() : null;
    }

    /** A mask, or what claims to be one: a skipped one is a frame missing from its stream. */
    static boolean isMask(MasksTopicRecord value) {
        return value instanceof Mask || value instanceof Unreadable unreadable && unreadable.kind() == RecordKind.FRAME;
    }
}
