package org.segstream.contract;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JPEG decoding with FFmpeg's MJPEG decoder (SIMD IDCT and colour conversion), the native libraries
 * JavaCV already brings. Decoders are pooled: a thread borrows one for a frame and gives it back, so
 * any number of threads may decode at once while at most {@link #POOLED} decoders stay allocated
 * between frames; the rest are freed at once. {@link #available()} is false where FFmpeg's natives
 * cannot be loaded (an unsupported platform), and {@link JpegCodec} then uses ImageIO.
 */
public final class FfmpegJpeg {
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegJpeg.class);
    /** Decoders kept between frames: one per core covers every thread that decodes at full speed. */
    static final int POOLED = Math.max(2, Runtime.getRuntime().availableProcessors());

    private static final BlockingQueue<FfmpegJpegDecoder> IDLE = new ArrayBlockingQueue<>(POOLED);
    private static final String UNAVAILABLE = probe();

    private FfmpegJpeg() {
    }

    /** Whether FFmpeg's decoder loaded; if not, {@link JpegCodec} decodes with ImageIO. */
    public static boolean available() {
        return UNAVAILABLE == null;
    }

    /**
     * Decodes {@code jpeg}, whose structure the caller has checked, into packed BGR; throws
     * {@link BadRecordException} where FFmpeg finds an error in it.
     */
    public static BgrImage decode(byte[] jpeg, JpegStructure structure) {
        if (!available()) {
            throw new IllegalStateException("FFmpeg's JPEG decoder is not available: " + UNAVAILABLE);
        }
        FfmpegJpegDecoder decoder = IDLE.poll();
        if (decoder == null) {
            decoder = new FfmpegJpegDecoder(FfmpegJpegDecoder.DEFAULT_SWS_FLAGS);
        }
        try {
            return decoder.decode(jpeg, structure);
        } finally {
            if (!IDLE.offer(decoder)) {
                decoder.close();
            }
        }
    }

    /** Null if a decoder opens, else why not (logged once). */
    private static String probe() {
        try {
            IDLE.offer(new FfmpegJpegDecoder(FfmpegJpegDecoder.DEFAULT_SWS_FLAGS));
            return null;
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError: no natives for this platform
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("FFmpeg's JPEG decoder is not available, frames are decoded with ImageIO (slower): {}", reason);
            return reason;
        }
    }
}
