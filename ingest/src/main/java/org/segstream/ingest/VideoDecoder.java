package org.segstream.ingest;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.segstream.video.FfmpegLog;
import org.segstream.contract.BgrImage;
import org.segstream.contract.SourceKind;

/**
 * Decodes one source with FFmpeg (through JavaCV) into packed BGR frames. FFmpeg converts to
 * bgr24 itself: going through BufferedImage would be several times slower.
 */
public final class VideoDecoder implements AutoCloseable {
    private static final Pattern FFMPEG_ERROR = Pattern.compile("error (-?\\d+)");

    static {
        FfmpegLog.quietByDefault();
    }

    private final SourceSpec source;
    private final FFmpegFrameGrabber grabber;
    private final long maxPixels;
    private final double frameRate;

    private VideoDecoder(SourceSpec source, FFmpegFrameGrabber grabber, long maxPixels) {
        this.source = source;
        this.grabber = grabber;
        this.maxPixels = maxPixels;
        double rate = grabber.getFrameRate();
        this.frameRate = Double.isFinite(rate) && rate > 0 && rate < 1000 ? rate : 25.0;
    }

    /** Opens and probes the source; a source that cannot be read throws with a one-line reason. */
    public static VideoDecoder open(SourceSpec source, long maxPixels) throws SourceException {
        return open(source, maxPixels, DEFAULT_READ_TIMEOUT_MICROS);
    }

    /** The longest a probe may analyse a source (FFmpeg's analyzeduration, below). */
    static final java.time.Duration MAX_PROBE = java.time.Duration.ofSeconds(10);

    /** Network reads that stall longer than this fail (microseconds). */
    public static final long DEFAULT_READ_TIMEOUT_MICROS = 10_000_000L;

    /**
     * The protocols FFmpeg may open for a source, by the kind of its location: a file may only read
     * files, a network source only its own family of network protocols. This is what stops an HLS
     * playlist served over HTTP from making FFmpeg read {@code file:///etc/passwd} or a local segment.
     */
    static String protocolWhitelist(SourceSpec source) {
        if (!source.isUrl()) { // files, and V4L2 devices (which FFmpeg opens as files)
            return "file";
        }
        String scheme = source.location().substring(0, source.location().indexOf(':')).toLowerCase(java.util.Locale.ROOT);
        return switch (scheme) {
            case "file" -> "file";
            case "http", "https" -> "http,https,tls,tcp,crypto";
            case "rtsp", "rtsps" -> "rtsp,rtsps,rtp,srtp,udp,tcp,tls";
            case "rtmp", "rtmps" -> "rtmp,rtmps,tcp,tls";
            case "udp" -> "udp,rtp";
            case "tcp" -> "tcp";
            case "srt" -> "srt";
            default -> scheme;
        };
    }

    /** FFmpeg's input format for a source: {@code video4linux2} for a camera device, else null (probed). */
    static String inputFormat(SourceSpec source) {
        return source.isDevice() ? "video4linux2" : null;
    }

    /** As {@link #open(SourceSpec, long)}, with network reads failing after {@code readTimeoutMicros} of silence. */
    public static VideoDecoder open(SourceSpec source, long maxPixels, long readTimeoutMicros) throws SourceException {
        if (source.isDevice()) {
            if (!Files.exists(Path.of(source.location()))) {
                throw new SourceException(source, "no such device");
            }
        } else if (!source.isUrl()) {
            Path path = Path.of(source.location());
            if (!Files.exists(path)) {
                throw new SourceException(source, "no such file");
            }
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new SourceException(source, "not a readable file");
            }
        }
        var grabber = new FFmpegFrameGrabber(source.location());
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        grabber.setVideoOption("threads", "auto");
        grabber.setVideoOption("max_pixels", Long.toString(Math.min(Integer.MAX_VALUE, maxPixels))); // the decoder refuses bigger frames itself
        // Bounded probing: a hostile or broken input cannot make the probe read for ever.
        grabber.setOption("probesize", "10000000");
        grabber.setOption("analyzeduration", Long.toString(MAX_PROBE.toNanos() / 1000));
        grabber.setOption("protocol_whitelist", protocolWhitelist(source));
        if (inputFormat(source) != null) {
            grabber.setFormat(inputFormat(source));
        }
        if (source.kind() == SourceKind.LIVE && !source.isDevice()) {
            String timeout = Long.toString(readTimeoutMicros);
            grabber.setOption("rw_timeout", timeout); // microseconds: a silent network source fails instead of hanging
            if (!source.location().regionMatches(true, 0, "rtmp", 0, 4)) {
                // Socket timeout for http, rtsp, tcp, udp; for rtmp "timeout" would mean "listen for a publisher".
                grabber.setOption("timeout", timeout);
            }
            if (source.location().regionMatches(true, 0, "rtsp", 0, 4)) {
                grabber.setOption("rtsp_transport", source.options().rtspTransport());
            }
        }
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            String declared = declaredSize(grabber);
            closeQuietly(grabber);
            if (declared != null) {
                throw new SourceException(source, "declares " + declared + " frames, over the limit of " + maxPixels + " pixels");
            }
            throw new SourceException(source, describe(e), e);
        }
        if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            closeQuietly(grabber);
            throw new SourceException(source, "has no video stream");
        }
        int width = grabber.getImageWidth();
        int height = grabber.getImageHeight();
        if ((long) width * height > maxPixels) {
            closeQuietly(grabber);
            throw new SourceException(source, "declares " + width + "x" + height + " frames, over the limit of " + maxPixels + " pixels");
        }
        return new VideoDecoder(source, grabber, maxPixels);
    }

    /** "WxH" of a video stream whose declared size is over the cap (FFmpeg refused to open its decoder), else null. */
    private static String declaredSize(FFmpegFrameGrabber grabber) {
        AVFormatContext format = grabber.getFormatContext();
        if (format == null || format.isNull()) {
            return null;
        }
        for (int i = 0; i < format.nb_streams(); i++) {
            AVCodecParameters codec = format.streams(i).codecpar();
            if (codec.codec_type() == avutil.AVMEDIA_TYPE_VIDEO
                    && (long) codec.width() * codec.height() > Long.parseLong(grabber.getVideoOption("max_pixels"))) {
                return codec.width() + "x" + codec.height();
            }
        }
        return null;
    }

    public double frameRate() {
        return frameRate;
    }

    /** Whether the container declares a duration (a file, also over HTTP, or a finished HLS playlist) rather than a live feed. */
    public boolean hasKnownDuration() {
        return grabber.getLengthInTime() > 0;
    }

    /** Frames in the container, or -1 when unknown (live sources). */
    public long lengthInFrames() {
        int n = grabber.getLengthInFrames();
        return n > 0 ? n : -1;
    }

    /** Moves to {@code micros} into the source (files); the next frame is the first at or after it. */
    public void seek(long micros) throws SourceException {
        try {
            grabber.setTimestamp(micros, true);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new SourceException(source, "cannot seek to " + micros / 1e6 + " s: " + describe(e), e);
        }
    }

    /** The container's creation_time metadata (ISO 8601), or null. */
    public String creationTime() {
        String value = grabber.getMetadata("creation_time");
        return value == null || value.isBlank() ? null : value;
    }

    /** The next frame, or null at the end of the source. */
    public DecodedFrame next() throws SourceException {
        Frame frame;
        try {
            frame = grabber.grabImage();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new SourceException(source, "decoding failed: " + describe(e), e);
        }
        if (frame == null) {
            return null;
        }
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        if ((long) w * h > maxPixels) {
            throw new SourceException(source, "frame of " + w + "x" + h + " is over the limit of " + maxPixels + " pixels");
        }
        return new DecodedFrame(new BgrImage(w, h, copyPacked(frame)), frame.timestamp);
    }

    /** Copies the frame out of the grabber's reused buffer, dropping any row padding. */
    private static byte[] copyPacked(Frame frame) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int rowBytes = w * 3;
        int stride = frame.imageStride; // in bytes for 8-bit frames
        ByteBuffer src = ((ByteBuffer) frame.image[0]).duplicate();
        byte[] packed = new byte[rowBytes * h];
        if (stride == rowBytes) {
            src.position(0);
            src.get(packed, 0, packed.length);
        } else {
            for (int y = 0; y < h; y++) {
                src.position(y * stride);
                src.get(packed, y * rowBytes, rowBytes);
            }
        }
        return packed;
    }

    /** FFmpeg error codes turned into FFmpeg's own words ("Invalid data found when processing input"). */
    static String describe(Exception e) {
        String message = String.valueOf(e.getMessage());
        Matcher m = FFMPEG_ERROR.matcher(message);
        if (m.find()) {
            String text = FfmpegLog.describe(Integer.parseInt(m.group(1)));
            if (!text.isBlank()) {
                return "cannot open or decode (" + text + ")";
            }
        }
        return message.replace('\n', ' ');
    }

    @Override
    public void close() {
        closeQuietly(grabber);
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (Exception ignored) {
            // nothing more to release
        }
    }
}
