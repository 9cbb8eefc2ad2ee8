package org.segstream.ingest;

import java.nio.ByteBuffer;
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

    /** Network reads that stall longer than this fail (microseconds). */
    public static final long DEFAULT_READ_TIMEOUT_MICROS = 10_000_000L;

    /** As {@link #open(SourceSpec, long)}, with network reads failing after {@code readTimeoutMicros} of silence. */
    public static VideoDecoder open(SourceSpec source, long maxPixels, long readTimeoutMicros) throws SourceException {
        DecoderOptions.requireLocalSource(source);
        var grabber = new FFmpegFrameGrabber(source.location());
        DecoderOptions.apply(grabber, source, maxPixels, readTimeoutMicros);
        start(grabber, source, maxPixels);
        return new VideoDecoder(source, grabber, maxPixels);
    }

    /** Opens and probes; the grabber is closed again if the source has no video or declares frames over the pixel limit. */
    private static void start(FFmpegFrameGrabber grabber, SourceSpec source, long maxPixels) throws SourceException {
        try {
            // Not start(): JavaCV's start() holds one process-wide lock (on the avcodec class) for the whole open, the
            // network probe included, so a camera that was slow to answer or down held every other source's opening and
            // reconnection back for up to its read timeout, and a probe the watchdog abandoned held it for good. FFmpeg
            // opens decoders from several threads safely by itself (its own locks, since 4.0); the lock is older than that.
            grabber.startUnsafe();
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
            grabber.releaseUnsafe(); // not close(): it takes the process-wide lock (see start)
        } catch (Exception ignored) {
            // nothing more to release
        }
    }
}
