package org.segstream.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.io.IOException;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.segstream.contract.BgrImage;

/**
 * Converts packed BGR images into one reused FFmpeg frame of the encoder's pixel format and size
 * (swscale, bicubic with full chroma interpolation). Owns its native buffers: close it.
 */
final class BgrConverter implements AutoCloseable {
    private final int width;
    private final int height;
    private AVFrame frame;
    private SwsContext converter;
    private BytePointer source;
    private PointerPointer<BytePointer> sourcePlanes;
    private IntPointer sourceStrides;

    /** Allocates the frame and the conversion; what was allocated is released again if this throws. */
    BgrConverter(int width, int height, int pixelFormat, Check check) throws IOException {
        this.width = width;
        this.height = height;
        try {
            allocate(pixelFormat, check);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void allocate(int pixelFormat, Check check) throws IOException {
        frame = av_frame_alloc();
        frame.format(pixelFormat).width(width).height(height);
        check.check(av_frame_get_buffer(frame, 0), "allocate a frame");
        converter = sws_getContext(width, height, AV_PIX_FMT_BGR24, width, height, pixelFormat,
                SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, null, null, (DoublePointer) null);
        if (converter == null) {
            throw new IOException("cannot convert bgr24 to the encoder's pixel format");
        }
        source = new BytePointer((long) width * height * 3);
        // swscale may look at four plane pointers and strides even for packed bgr24.
        sourcePlanes = new PointerPointer<>(source, null, null, null);
        sourceStrides = new IntPointer(new int[] {width * 3, 0, 0, 0});
    }

    /** An FFmpeg return code checked by the encoder, which names the file in its error. */
    interface Check {
        void check(int code, String what) throws IOException;
    }

    /** Converts {@code image} (of the converter's size) into the frame, which it returns; the frame is reused by the next call. */
    AVFrame convert(BgrImage image, Check check) throws IOException {
        check.check(av_frame_make_writable(frame), "make the frame writable");
        source.position(0).put(image.pixels());
        sws_scale(converter, sourcePlanes, sourceStrides, 0, height, frame.data(), frame.linesize());
        return frame;
    }

    @Override
    public void close() {
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (converter != null) {
            sws_freeContext(converter);
            converter = null;
        }
        if (source != null) {
            source.close();
            source = null;
        }
        if (sourcePlanes != null) {
            sourcePlanes.close();
            sourceStrides.close();
            sourcePlanes = null;
        }
    }
}
