package org.segstream.contract;

/** What a record on the frames or masks topic carries (header {@value HeaderNames#KIND}). */
public enum RecordKind {
    /** One video frame (frames topic: JPEG or raw BGR) or its mask (masks topic: palette PNG). */
    FRAME("frame"),
    /** The clean end of a stream session; empty value, {@value HeaderNames#SEQ} = number of frames sent. */
    END("end"),
    /**
     * Masks topic only: a live frame the segmenter shed instead of segmenting (it could not be done in time);
     * empty value, the frame's own headers and {@value HeaderNames#SHED_REASON}. It takes the frame's place in its
     * stream's order, so a reader accounts for every frame: mask, dead letter or shed marker.
     */
    SHED("shed");

    private final String wire;

    RecordKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static RecordKind fromWire(String value) {
        for (RecordKind kind : values()) {
            if (kind.wire.equals(value)) {
                return kind;
            }
        }
        throw new BadRecordException("header " + HeaderNames.KIND + " is '" + Untrusted.echo(value) + "', expected 'frame', 'end' or 'shed'");
    }
}
