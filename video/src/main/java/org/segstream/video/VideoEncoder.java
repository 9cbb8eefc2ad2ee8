package org.segstream.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.segstream.contract.BgrImage;

/**
 * Encodes BGR frames into a video file through FFmpeg's own API.
 *
 * <p>Written against libavcodec directly rather than JavaCV's FFmpegFrameRecorder because the
 * recorder silently widens odd-width frames (and rescales the height), while segstream promises
 * overlays at the source's exact size. H.264 uses 4:2:0 where both sides are even (plays
 * everywhere) and 4:4:4 otherwise (x264 cannot subsample an odd size; plays in FFmpeg, VLC, mpv).
 */
public final class VideoEncoder implements AutoCloseable {

    /** The codecs segstream writes. */
    public enum Codec {
        /** H.264 (libx264) in MP4, the overlay format. */
        H264,
        /** Lossless FFV1 in Matroska, for tests that compare pixels exactly. */
        FFV1
    }

    /** Encoder settings: x264 preset and constant rate factor (ignored for FFV1). */
    public record Settings(Codec codec, String preset, int crf) {
        public static Settings h264() {
            return new Settings(Codec.H264, "veryfast", 23);
        }

        public static Settings lossless() {
            return new Settings(Codec.FFV1, "", 0);
        }
    }

    /** AVERROR(EAGAIN): POSIX errno 11 on Linux, 35 on macOS (no binding for errno.h here). */
    private static final int AVERROR_EAGAIN = System.getProperty("os.name").startsWith("Mac") ? -35 : -11;

    static {
        FfmpegLog.quietByDefault();
    }

    private final Path file;
    private final int width;
    private final int height;
    private AVFormatContext format;
    private AVCodecContext codec;
    private AVStream stream;
    private AVPacket packet;
    private BgrConverter converter;
    private long framesWritten;
    /** One frame at the nominal rate, in {@link #TIME_BASE} ticks: the last frame's duration. */
    private long frameTicks;
    private long firstTimestampMicros;
    private long lastPts = -1;

    /**
     * Frames are timed in 1/90000 s (MPEG's clock), not in frame intervals, so a file can carry the
     * source's own timestamps: variable frame rate where a live camera lost frames.
     */
    private static final AVRational TIME_BASE = av_make_q(1, 90_000);

    private VideoEncoder(Path file, int width, int height) {
        this.file = file;
        this.width = width;
        this.height = height;
    }

    /** Opens {@code file} for writing; the container follows the codec (mp4 or mkv), whatever the name. */
    public static VideoEncoder open(Path file, int width, int height, double fps, Settings settings) throws IOException {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("cannot encode a " + width + "x" + height + " video");
        }
        var encoder = new VideoEncoder(file, width, height);
        try {
            encoder.start(fps, settings);
            return encoder;
        } catch (IOException | RuntimeException e) {
            encoder.release();
            throw e;
        }
    }

    private void start(double fps, Settings settings) throws IOException {
        boolean h264 = settings.codec() == Codec.H264;
        String path = file.toAbsolutePath().toString();
        format = new AVFormatContext(null);
        check(avformat_alloc_output_context2(format, null, h264 ? "mp4" : "matroska", path), "create the container");
        int pixelFormat = h264 ? (width % 2 == 0 && height % 2 == 0 ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_YUV444P) : AV_PIX_FMT_BGR0;
        openCodec(fps, settings, pixelFormat);
        stream = avformat_new_stream(format, null);
        check(avcodec_parameters_from_context(stream.codecpar(), codec), "set the stream parameters");
        stream.time_base(codec.time_base());

        AVIOContext io = new AVIOContext(null);
        check(avio_open(io, path, AVIO_FLAG_WRITE), "open " + path + " for writing");
        format.pb(io);
        check(avformat_write_header(format, (AVDictionary) null), "write the container header");
        packet = av_packet_alloc();
        converter = new BgrConverter(width, height, pixelFormat, this::check);
    }

    /** Finds the encoder (libx264, else FFmpeg's H.264 encoder; or FFV1) and opens it at the frame rate and settings. */
    private void openCodec(double fps, Settings settings, int pixelFormat) throws IOException {
        boolean h264 = settings.codec() == Codec.H264;
        AVCodec encoder = h264 ? avcodec_find_encoder_by_name("libx264") : avcodec_find_encoder(AV_CODEC_ID_FFV1);
        if (encoder == null && h264) {
            encoder = avcodec_find_encoder(AV_CODEC_ID_H264); // an FFmpeg build without x264
        }
        if (encoder == null) {
            throw new IOException("this FFmpeg build has no " + settings.codec() + " encoder");
        }
        codec = avcodec_alloc_context3(encoder);
        AVRational rate = av_d2q(fps > 0 && Double.isFinite(fps) ? fps : 25.0, 100_000);
        codec.width(width).height(height).pix_fmt(pixelFormat).framerate(rate).time_base(TIME_BASE);
        frameTicks = Math.max(1, Math.round(90_000 / av_q2d(rate)));
        codec.gop_size(Math.max(1, (int) Math.round(av_q2d(rate) * 2)));
        if (h264) {
            codec.colorspace(AVCOL_SPC_SMPTE170M).color_range(AVCOL_RANGE_MPEG);
        }
        if ((format.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
            codec.flags(codec.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        AVDictionary options = new AVDictionary(null);
        if (h264) {
            av_dict_set(options, "preset", settings.preset(), 0);
            av_dict_set(options, "crf", Integer.toString(settings.crf()), 0);
        }
        int opened = avcodec_open2(codec, encoder, options);
        av_dict_free(options);
        check(opened, "open the " + settings.codec() + " encoder at " + width + "x" + height);
    }

    /** Appends one frame, timed at the constant frame rate given to {@link #open}. */
    public void write(BgrImage image) throws IOException {
        write(image, framesWritten == 0 ? 0 : firstTimestampMicros + Math.round(framesWritten * frameTicks / 0.09));
    }

    /**
     * Appends one frame shown at {@code timestampMicros} (any origin: the file starts at its first
     * frame). Timestamps must increase; one that does not is moved just after the previous frame.
     */
    public void write(BgrImage image, long timestampMicros) throws IOException {
        if (image.width() != width || image.height() != height) {
            throw new IllegalArgumentException("a " + image.width() + "x" + image.height() + " frame in a "
                    + width + "x" + height + " video (" + file + ")");
        }
        AVFrame frame = converter.convert(image, this::check);
        if (framesWritten == 0) {
            firstTimestampMicros = timestampMicros;
        }
        long pts = Math.max(lastPts + 1, Math.round((timestampMicros - firstTimestampMicros) * 0.09));
        frame.pts(pts);
        lastPts = pts;
        framesWritten++;
        check(avcodec_send_frame(codec, frame), "encode a frame");
        drain();
    }

    public long framesWritten() {
        return framesWritten;
    }

    private void drain() throws IOException {
        while (true) {
            int got = avcodec_receive_packet(codec, packet);
            if (got == AVERROR_EAGAIN || got == AVERROR_EOF) {
                return;
            }
            check(got, "receive an encoded packet");
            if (packet.duration() <= 0) {
                // Without a duration the MP4 edit list ends at the last frame's start and players drop it.
                packet.duration(frameTicks);
            }
            av_packet_rescale_ts(packet, codec.time_base(), stream.time_base());
            packet.stream_index(stream.index());
            int written = av_interleaved_write_frame(format, packet);
            av_packet_unref(packet);
            check(written, "write a packet to " + file);
        }
    }

    /** Flushes the encoder and finalises the container. */
    @Override
    public void close() throws IOException {
        try {
            if (codec != null && format != null && format.pb() != null) {
                check(avcodec_send_frame(codec, null), "flush the encoder");
                drain();
                check(av_write_trailer(format), "finalise " + file);
            }
        } finally {
            release();
        }
    }

    private void release() {
        if (format != null && format.pb() != null) {
            avio_closep(format.pb());
        }
        if (codec != null) {
            avcodec_free_context(codec);
            codec = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (converter != null) {
            converter.close();
            converter = null;
        }
        if (format != null) {
            avformat_free_context(format);
            format = null;
        }
    }

    private void check(int code, String what) throws IOException {
        if (code < 0) {
            throw new IOException("cannot " + what + " (" + file + "): " + FfmpegLog.describe(code) + " [" + code + "]");
        }
    }
}
