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

    public void writeTo(Headers headers) {
        HeaderNames.put(headers, HeaderNames.KIND, RecordKind.FRAME.wire());
        HeaderNames.put(headers, HeaderNames.STREAM, stream);
        HeaderNames.put(headers, HeaderNames.SESSION, session);
        HeaderNames.put(headers, HeaderNames.SEQ, seq);
        HeaderNames.put(headers, HeaderNames.PTS_US, ptsMicros);
        HeaderNames.put(headers, HeaderNames.CAPTURE_MS, captureTimeMs);
        HeaderNames.put(headers, HeaderNames.WIDTH, width);
        HeaderNames.put(headers, HeaderNames.HEIGHT, height);
        HeaderNames.put(headers, HeaderNames.FPS, Double.toString(fps));
        HeaderNames.put(headers, HeaderNames.ENCODING, encoding);
        HeaderNames.put(headers, HeaderNames.SOURCE_KIND, sourceKind.wire());
        if (ingestTimeMs >= 0) {
            HeaderNames.put(headers, HeaderNames.INGEST_MS, ingestTimeMs);
        } else {
            headers.remove(HeaderNames.INGEST_MS);
        }
        if (source != null) {
            HeaderNames.put(headers, HeaderNames.SOURCE, source);
        } else {
            headers.remove(HeaderNames.SOURCE);
        }
    }

    /** Reads a frame's identity; throws {@link BadRecordException} naming the first missing or bad header. */
    public static FrameIdentity readFrom(Headers headers) {
        double fps;
        String fpsText = HeaderNames.get(headers, HeaderNames.FPS);
        try {
            fps = Double.parseDouble(fpsText);
        } catch (NumberFormatException e) {
            throw new BadRecordException("header " + HeaderNames.FPS + " is '" + Untrusted.echo(fpsText) + "', expected a number");
        }
        return new FrameIdentity(
                HeaderNames.get(headers, HeaderNames.STREAM),
                HeaderNames.get(headers, HeaderNames.SESSION),
                HeaderNames.getLong(headers, HeaderNames.SEQ),
                HeaderNames.getLong(headers, HeaderNames.PTS_US),
                HeaderNames.getLong(headers, HeaderNames.CAPTURE_MS),
                (int) Math.min(Integer.MAX_VALUE, HeaderNames.getLong(headers, HeaderNames.WIDTH)),
                (int) Math.min(Integer.MAX_VALUE, HeaderNames.getLong(headers, HeaderNames.HEIGHT)),
                fps,
                HeaderNames.get(headers, HeaderNames.ENCODING),
                SourceKind.fromWire(HeaderNames.get(headers, HeaderNames.SOURCE_KIND)),
                headers.lastHeader(HeaderNames.INGEST_MS) == null ? -1 : HeaderNames.getLong(headers, HeaderNames.INGEST_MS),
                HeaderNames.getOrNull(headers, HeaderNames.SOURCE));
    }
}
