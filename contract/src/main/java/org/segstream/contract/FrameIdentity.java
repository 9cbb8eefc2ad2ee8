package org.segstream.contract;

/**
 * What every frame carries from ingest to sink, in record headers. It makes loss, duplicates and
 * latency measurable end to end: (stream, session, seq) identifies a frame exactly once.
 */
public record FrameIdentity(
        String stream,
        String session,
        long seq,
        long ptsMicros,
        long captureTimeMs,
        int width,
        int height,
        double fps,
        String encoding,
        SourceKind sourceKind,
        long ingestTimeMs,
        String source) {

    public static final int MAX_DIMENSION = 16384;
    /** 8K UHD: the largest frame ingest decodes, the sink draws and {@code synth} makes. */
    public static final int MAX_UHD_WIDTH = 7680;
    public static final int MAX_UHD_HEIGHT = 4320;
    /** The pixels of the largest frame ({@link #MAX_UHD_WIDTH} x {@link #MAX_UHD_HEIGHT}). */
    public static final long MAX_PIXELS = (long) MAX_UHD_WIDTH * MAX_UHD_HEIGHT;
    /** Longest {@link Headers#SOURCE} kept: a label, so a longer one is cut rather than refused. */
    public static final int MAX_SOURCE_CHARS = 255;

    /** A frame without a source name (a live connection, or a producer that does not say). */
    public FrameIdentity(String stream, String session, long seq, long ptsMicros, long captureTimeMs, int width, int height,
                         double fps, String encoding, SourceKind sourceKind, long ingestTimeMs) {
        this(stream, session, seq, ptsMicros, captureTimeMs, width, height, fps, encoding, sourceKind, ingestTimeMs, null);
    }

    /** A frame without an ingest time (records written before {@link Headers#INGEST_MS} existed). */
    public FrameIdentity(String stream, String session, long seq, long ptsMicros, long captureTimeMs, int width, int height,
                         double fps, String encoding, SourceKind sourceKind) {
        this(stream, session, seq, ptsMicros, captureTimeMs, width, height, fps, encoding, sourceKind, -1);
    }

    /**
     * Where end-to-end latency and frame age are measured from: when ingest read the frame, or the
     * capture time when the record does not say (a recorded file's capture time can be years old).
     */
    public long latencyOriginMs() {
        return ingestTimeMs >= 0 ? ingestTimeMs : captureTimeMs;
    }

    public FrameIdentity {
        if (width <= 0 || height <= 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
            throw new BadRecordException("frame size " + width + "x" + height + " is outside 1.." + MAX_DIMENSION);
        }
        if (seq < 0) {
            throw new BadRecordException("sequence number " + seq + " is negative");
        }
        if (source != null && source.length() > MAX_SOURCE_CHARS) {
            source = source.substring(0, MAX_SOURCE_CHARS);
        }
    }

    public FrameIdentity withEncoding(String newEncoding) {
        return new FrameIdentity(stream, session, seq, ptsMicros, captureTimeMs, width, height, fps, newEncoding, sourceKind, ingestTimeMs, source);
    }

    public void writeTo(org.apache.kafka.common.header.Headers headers) {
        Headers.put(headers, Headers.KIND, RecordKind.FRAME.wire());
        Headers.put(headers, Headers.STREAM, stream);
        Headers.put(headers, Headers.SESSION, session);
        Headers.put(headers, Headers.SEQ, seq);
        Headers.put(headers, Headers.PTS_US, ptsMicros);
        Headers.put(headers, Headers.CAPTURE_MS, captureTimeMs);
        Headers.put(headers, Headers.WIDTH, width);
        Headers.put(headers, Headers.HEIGHT, height);
        Headers.put(headers, Headers.FPS, Double.toString(fps));
        Headers.put(headers, Headers.ENCODING, encoding);
        Headers.put(headers, Headers.SOURCE_KIND, sourceKind.wire());
        if (ingestTimeMs >= 0) {
            Headers.put(headers, Headers.INGEST_MS, ingestTimeMs);
        } else {
            headers.remove(Headers.INGEST_MS);
        }
        if (source != null) {
            Headers.put(headers, Headers.SOURCE, source);
        } else {
            headers.remove(Headers.SOURCE);
        }
    }

    /** Reads a frame's identity; throws {@link BadRecordException} naming the first missing or bad header. */
    public static FrameIdentity readFrom(org.apache.kafka.common.header.Headers headers) {
        double fps;
        String fpsText = Headers.get(headers, Headers.FPS);
        try {
            fps = Double.parseDouble(fpsText);
        } catch (NumberFormatException e) {
            throw new BadRecordException("header " + Headers.FPS + " is '" + Untrusted.echo(fpsText) + "', expected a number");
        }
        return new FrameIdentity(
                Headers.get(headers, Headers.STREAM),
                Headers.get(headers, Headers.SESSION),
                Headers.getLong(headers, Headers.SEQ),
                Headers.getLong(headers, Headers.PTS_US),
                Headers.getLong(headers, Headers.CAPTURE_MS),
                (int) Math.min(Integer.MAX_VALUE, Headers.getLong(headers, Headers.WIDTH)),
                (int) Math.min(Integer.MAX_VALUE, Headers.getLong(headers, Headers.HEIGHT)),
                fps,
                Headers.get(headers, Headers.ENCODING),
                SourceKind.fromWire(Headers.get(headers, Headers.SOURCE_KIND)),
                headers.lastHeader(Headers.INGEST_MS) == null ? -1 : Headers.getLong(headers, Headers.INGEST_MS),
                Headers.getOrNull(headers, Headers.SOURCE));
    }
}
