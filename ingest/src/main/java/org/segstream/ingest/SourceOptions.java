package org.segstream.ingest;

import java.util.Locale;
import java.util.Map;

/**
 * Per-stream ingest options, from a streams file ({@link SourcesFile}).
 *
 * @param fps            frames per second to publish, sampled by presentation time (0: every frame)
 * @param maxWidth       frames wider or taller than maxWidth x maxHeight are scaled down to fit,
 * @param maxHeight      keeping their aspect ratio (0: no limit)
 * @param jpegQuality    JPEG quality of this stream's frames (0: the service's default)
 * @param startSeconds   files: start this far into the file
 * @param durationSeconds files: stop after this much source time (0: to the end)
 * @param realtime       files: publish at the file's own rate, as a camera would (false: as fast as possible)
 * @param recordedTime   files: capture time = the container's creation_time + the frame's pts when the file has
 *                       one, else the time ingest read the frame (false: always the time ingest read it). End-to-end
 *                       latency is measured from the ingest time either way ({@code segstream.ingest.ms}).
 * @param rtspTransport  rtsp sources: {@code tcp} (RTP interleaved on the RTSP connection) or {@code udp}
 */
public record SourceOptions(double fps, int maxWidth, int maxHeight, int jpegQuality,
                            double startSeconds, double durationSeconds, boolean realtime, boolean recordedTime,
                            String rtspTransport) {

    public static final SourceOptions DEFAULT = new SourceOptions(0, 0, 0, 0, 0, 0, false, true, "tcp");

    public SourceOptions {
        if (fps < 0 || !Double.isFinite(fps)) {
            throw new IllegalArgumentException("fps " + fps + " must be >= 0");
        }
        if (maxWidth < 0 || maxHeight < 0 || (maxWidth == 0) != (maxHeight == 0)) {
            throw new IllegalArgumentException("max size " + maxWidth + "x" + maxHeight + " must be two positive numbers");
        }
        if (jpegQuality != 0 && (jpegQuality < 1 || jpegQuality > 100)) {
            throw new IllegalArgumentException("JPEG quality " + jpegQuality + " is outside 1..100");
        }
        if (startSeconds < 0 || durationSeconds < 0) {
            throw new IllegalArgumentException("start and duration must be >= 0");
        }
        if (!rtspTransport.equals("tcp") && !rtspTransport.equals("udp")) {
            throw new IllegalArgumentException("rtsp-transport '" + rtspTransport + "' is not 'tcp' or 'udp'");
        }
    }

    /** Options from keys {@code fps}, {@code max-size} (WxH), {@code jpeg-quality}, {@code start}, {@code duration} (seconds), {@code pace} ({@code fast} or {@code realtime}), {@code capture-time} ({@code recorded} or {@code ingest}), {@code rtsp-transport} ({@code tcp} or {@code udp}). */
    public static SourceOptions of(Map<String, String> values) {
        double fps = 0;
        int maxW = 0;
        int maxH = 0;
        int quality = 0;
        double start = 0;
        double duration = 0;
        boolean realtime = false;
        boolean recorded = true;
        String rtspTransport = "tcp";
        for (var e : values.entrySet()) {
            String v = e.getValue().trim();
            try {
                switch (e.getKey()) {
                    case "fps" -> fps = Double.parseDouble(v);
                    case "max-size" -> {
                        int[] size = size(v);
                        maxW = size[0];
                        maxH = size[1];
                    }
                    case "jpeg-quality" -> quality = Integer.parseInt(v);
                    case "start" -> start = Double.parseDouble(v);
                    case "duration" -> duration = Double.parseDouble(v);
                    case "pace" -> realtime = oneOf("pace", v, "realtime", "fast");
                    case "capture-time" -> recorded = oneOf("capture-time", v, "recorded", "ingest");
                    case "rtsp-transport" -> rtspTransport = v.toLowerCase(Locale.ROOT);
                    default -> throw new IllegalArgumentException("unknown option '" + e.getKey() + "'");
                }
            } catch (NumberFormatException bad) {
                throw new IllegalArgumentException(e.getKey() + " '" + v + "' is not a number");
            }
        }
        return new SourceOptions(fps, maxW, maxH, quality, start, duration, realtime, recorded, rtspTransport);
    }

    /** {@code WxH} as {width, height}. */
    private static int[] size(String value) {
        String[] wh = value.toLowerCase(Locale.ROOT).split("x");
        if (wh.length != 2) {
            throw new IllegalArgumentException("max-size '" + value + "' is not WxH");
        }
        return new int[] {Integer.parseInt(wh[0].trim()), Integer.parseInt(wh[1].trim())};
    }

    /** True for {@code yes}, false for {@code no}; anything else is refused naming both. */
    private static boolean oneOf(String option, String value, String yes, String no) {
        if (value.equals(yes) || value.equals(no)) {
            return value.equals(yes);
        }
        throw new IllegalArgumentException(option + " '" + value + "' is not '" + yes + "' or '" + no + "'");
    }

    /** The size a {@code width x height} frame is published at: scaled down to fit the max size, aspect kept, at least 1x1. */
    public int[] fit(int width, int height) {
        if (maxWidth == 0 || (width <= maxWidth && height <= maxHeight)) {
            return new int[] {width, height};
        }
        double scale = Math.min((double) maxWidth / width, (double) maxHeight / height);
        return new int[] {Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale))};
    }
}
