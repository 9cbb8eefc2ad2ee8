package org.segstream.contract;

import org.apache.kafka.common.header.Headers;

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
    /** Longest {@link HeaderNames#SOURCE} kept: a label, so a longer one is cut rather than refused. */
    public static final int MAX_SOURCE_CHARS = 255;

    /** A frame without a source name (a live connection, or a producer that does not say). */
    public FrameIdentity(String stream, String session, long seq, long ptsMicros, long captureTimeMs, int width, int height,
                         double fps, String encoding, SourceKind sourceKind, long ingestTimeMs) {
        this(stream, session, seq, ptsMicros, captureTimeMs, width, height, fps, encoding, sourceKind, ingestTimeMs, null);
    }

    /** A frame without an ingest time (records written before {@link HeaderNames#INGEST_MS} existed). */
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

    /** Writes the identity headers ({@code segstream.kind=frame} among them), replacing earlier ones of the same names. */
    public void writeTo(Headers headers) {
        HeaderValues.put(headers, HeaderNames.KIND, RecordKind.FRAME.wire());
        HeaderValues.put(headers, HeaderNames.STREAM, stream);
        HeaderValues.put(headers, HeaderNames.SESSION, session);
        HeaderValues.put(headers, HeaderNames.SEQ, seq);
        HeaderValues.put(headers, HeaderNames.PTS_US, ptsMicros);
        HeaderValues.put(headers, HeaderNames.CAPTURE_MS, captureTimeMs);
        HeaderValues.put(headers, HeaderNames.WIDTH, width);
        HeaderValues.put(headers, HeaderNames.HEIGHT, height);
        HeaderValues.put(headers, HeaderNames.FPS, Double.toString(fps));
        HeaderValues.put(headers, HeaderNames.ENCODING, encoding);
        HeaderValues.put(headers, HeaderNames.SOURCE_KIND, sourceKind.wire());
        if (ingestTimeMs >= 0) {
            HeaderValues.put(headers, HeaderNames.INGEST_MS, ingestTimeMs);
        } else {
            headers.remove(HeaderNames.INGEST_MS);
        }
        if (source != null) {
            HeaderValues.put(headers, HeaderNames.SOURCE, source);
        } else {
            headers.remove(HeaderNames.SOURCE);
        }
    }

    /**
     * Reads a frame's identity (whatever its kind header says); throws {@link BadRecordException} naming the
     * first missing or bad header.
     */
    public static FrameIdentity readFrom(Headers headers) {
        return new FrameIdentity(
                HeaderValues.text(headers, HeaderNames.STREAM),
                HeaderValues.text(headers, HeaderNames.SESSION),
                HeaderValues.integer(headers, HeaderNames.SEQ),
                HeaderValues.integer(headers, HeaderNames.PTS_US),
                HeaderValues.integer(headers, HeaderNames.CAPTURE_MS),
                dimension(headers, HeaderNames.WIDTH),
                dimension(headers, HeaderNames.HEIGHT),
                HeaderValues.decimal(headers, HeaderNames.FPS),
                HeaderValues.text(headers, HeaderNames.ENCODING),
                SourceKind.fromWire(HeaderValues.text(headers, HeaderNames.SOURCE_KIND)),
                HeaderValues.optionalInteger(headers, HeaderNames.INGEST_MS, -1),
                HeaderValues.optionalText(headers, HeaderNames.SOURCE));
    }

    /** A width or height, clamped into int range so that the constructor's range check names the value read. */
    private static int dimension(Headers headers, String name) {
        long value = HeaderValues.integer(headers, name);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
}
