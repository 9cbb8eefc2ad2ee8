package org.segstream.contract;

/** Whether a stream comes from a file (never dropped) or a live camera (stale frames may be shed). */
public enum SourceKind {
    FILE("file"),
    LIVE("live");

    private final String wire;

    SourceKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static SourceKind fromWire(String value) {
        for (SourceKind kind : values()) {
            if (kind.wire.equals(value)) {
                return kind;
            }
        }
        throw new BadRecordException("header " + HeaderNames.SOURCE_KIND + " is '" + Untrusted.echo(value) + "', expected 'file' or 'live'");
    }
}
