package org.segstream.contract;

/** What a record on the frames or masks topic carries (header {@value Headers#KIND}). */
public enum RecordKind {
    /** One video frame (frames topic: JPEG or raw BGR) or its mask (masks topic: palette PNG). */
    FRAME("frame"),
    /** The clean end of a stream session; empty value, {@value Headers#SEQ} = number of frames sent. */
    END("end");

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
        throw new BadRecordException("header " + Headers.KIND + " is '" + Untrusted.echo(value) + "', expected 'frame' or 'end'");
    }
}
