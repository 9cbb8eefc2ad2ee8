package org.segstream.contract;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_BITSTREAM;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_BUFFER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_EXPLODE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_log_get_level;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import java.nio.charset.StandardCharsets;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One FFmpeg MJPEG decoder and the swscale conversion of its YCbCr planes to packed BGR, with the
 * native buffers they reuse frame after frame. Not thread-safe: {@link FfmpegJpeg} lends each thread
 * one at a time. Decoding is strict (any bitstream error fails the frame), so a corrupt frame is never
 * filled in; the caller then asks ImageIO, whose message names what is wrong.
 */
final class FfmpegJpegDecoder implements AutoCloseable {
    /**
     * swscale's unscaled SIMD path: each chroma sample covers its 2x2 pixels, where libjpeg interpolates
     * between samples. Interpolating too (SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT) matches ImageIO within
     * 4 levels but costs more than ImageIO's whole decode; this way a 640x360 frame is 0.2 to 0.5 dB
     * further from its source than ImageIO's decode (about 32.4 against 32.6 dB at quality 90) for a
     * third less CPU.
     */
    static final int DEFAULT_SWS_FLAGS = SWS_BILINEAR;

    /** Row alignment and slack of the BGR output: a whole AVX-512 register. */
    private static final int ROW_ALIGNMENT = 64;
    private static final byte[] PADDING = new byte[AV_INPUT_BUFFER_PADDING_SIZE];

    private final int swsFlags;
    private final AVCodecContext codec;
    private final AVPacket packet;
    private final AVFrame frame;
    private BytePointer input = new BytePointer(0L);
    private BytePointer output = new BytePointer(0L);
    private final PointerPointer<BytePointer> outputPlanes = new PointerPointer<>(4);
    private final IntPointer outputStrides = new IntPointer(4);
    private SwsContext converter;
    private int converterFormat = -1;
    private int converterRange = -1;
    private int converterWidth;
    private int converterHeight;

    FfmpegJpegDecoder(int swsFlags) {
        this.swsFlags = swsFlags;
        if (av_log_get_level() == AV_LOG_INFO) {
            av_log_set_level(AV_LOG_QUIET); // FFmpeg's default: nobody chose a level, and a corrupt frame is reported by our exception
        }
        AVCodec decoder = avcodec_find_decoder(AV_CODEC_ID_MJPEG);
        if (decoder == null) {
            throw new IllegalStateException("this FFmpeg build has no MJPEG decoder");
        }
        codec = avcodec_alloc_context3(decoder);
        codec.thread_count(1); // one frame at a time; parallelism comes from the callers' threads
        codec.err_recognition(AV_EF_EXPLODE | AV_EF_BITSTREAM | AV_EF_BUFFER);
        int opened = avcodec_open2(codec, decoder, (AVDictionary) null);
        if (opened < 0) {
            avcodec_free_context(codec);
            throw new IllegalStateException("cannot open FFmpeg's MJPEG decoder: " + describe(opened));
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
    }

    /**
     * Decodes {@code jpeg} into packed BGR, or throws {@link BadRecordException} if FFmpeg finds any
     * error in it or reads a size other than {@code structure}'s.
     */
    BgrImage decode(byte[] jpeg, JpegStructure structure) {
        int padded = jpeg.length + AV_INPUT_BUFFER_PADDING_SIZE;
        if (input.capacity() < padded) {
            input.close();
            input = new BytePointer(Math.max(padded, input.capacity() * 3 / 2));
        }
        input.position(0).put(jpeg, 0, jpeg.length);
        input.position(jpeg.length).put(PADDING, 0, PADDING.length).position(0); // the bit reader may look past the end
        packet.data(input).size(jpeg.length);
        try {
            check(avcodec_send_packet(codec, packet));
            check(avcodec_receive_frame(codec, frame));
            int width = frame.width();
            int height = frame.height();
            if (width != structure.width() || height != structure.height()) {
                throw new BadRecordException("undecodable JPEG: the decoder reads " + width + "x" + height
                        + " where the frame header says " + structure.width() + "x" + structure.height());
            }
            return toBgr(width, height);
        } finally {
            av_frame_unref(frame);
            packet.data((BytePointer) null).size(0);
        }
    }

    private BgrImage toBgr(int width, int height) {
        prepareConverter(width, height);
        // swscale's SIMD writes whole blocks of pixels: rows start aligned and end in slack, copied out row by row.
        int row = 3 * width;
        int stride = (row + ROW_ALIGNMENT - 1) / ROW_ALIGNMENT * ROW_ALIGNMENT;
        long bytes = (long) stride * height + ROW_ALIGNMENT;
        if (output.capacity() < bytes) {
            output.close();
            output = new BytePointer(bytes);
        }
        outputPlanes.put(0, output.position(0));
        outputStrides.put(0, stride);
        sws_scale(converter, frame.data(), frame.linesize(), 0, height, outputPlanes, outputStrides);
        byte[] pixels = new byte[row * height];
        if (stride == row) {
            output.position(0).get(pixels);
        } else {
            for (int y = 0; y < height; y++) {
                output.position((long) y * stride).get(pixels, y * row, row);
            }
        }
        return new BgrImage(width, height, pixels);
    }

    /** A converter for this frame's format and size, kept while frames keep them. */
    private void prepareConverter(int width, int height) {
        int format = frame.format();
        int range = frame.color_range();
        if (converter != null && format == converterFormat && range == converterRange
                && width == converterWidth && height == converterHeight) {
            return;
        }
        converter = sws_getCachedContext(converter, width, height, format, width, height, AV_PIX_FMT_BGR24,
                swsFlags, null, null, (DoublePointer) null);
        if (converter == null) {
            throw new BadRecordException("undecodable JPEG: no conversion from FFmpeg's pixel format " + format + " to BGR");
        }
        // JPEG's YCbCr is BT.601 at full range; the yuvj formats imply it, a plain yuv format with a JPEG range needs it said.
        IntPointer bt601 = sws_getCoefficients(SWS_CS_ITU601);
        boolean fullRange = range == AVCOL_RANGE_JPEG || isJpegFormat(format);
        sws_setColorspaceDetails(converter, bt601, fullRange ? 1 : 0, bt601, 1, 0, 1 << 16, 1 << 16);
        converterFormat = format;
        converterRange = range;
        converterWidth = width;
        converterHeight = height;
    }

    private static boolean isJpegFormat(int format) {
        return format == org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P
                || format == org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P
                || format == org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P
                || format == org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ440P
                || format == org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ411P;
    }

    private static void check(int result) {
        if (result < 0) {
            throw new BadRecordException("undecodable JPEG: " + describe(result));
        }
    }

    private static String describe(int code) {
        byte[] buffer = new byte[256];
        av_strerror(code, buffer, buffer.length);
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (converter != null) {
            sws_freeContext(converter);
            converter = null;
        }
        av_frame_free(frame);
        av_packet_free(packet);
        avcodec_free_context(codec);
        input.close();
        output.close();
        outputPlanes.close();
        outputStrides.close();
    }
}
