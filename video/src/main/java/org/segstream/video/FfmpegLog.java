package org.segstream.video;

import org.bytedeco.ffmpeg.global.avutil;
import org.segstream.config.Setting;
import org.segstream.config.Settings;

/**
 * FFmpeg's console output. Its chatter (x264 statistics, demuxer warnings) would interleave with
 * segstream's one-line errors, so it is off unless SEGSTREAM_FFMPEG_LOG says otherwise
 * (error, warning, info or debug): the launcher calls {@link #configure} once at start.
 */
public final class FfmpegLog {
    public static final Setting<String> LEVEL = Setting.oneOf("SEGSTREAM_FFMPEG_LOG", "quiet", "quiet", "error", "warning", "info", "debug");
    private static boolean set;

    private FfmpegLog() {
    }

    /** FFmpeg's log level from SEGSTREAM_FFMPEG_LOG (default quiet). */
    public static synchronized void configure(Settings settings) {
        apply(settings.get(LEVEL));
    }

    /** Quiet, unless a level was set already: every class that calls FFmpeg calls this first. */
    public static synchronized void quietByDefault() {
        if (!set) {
            apply("quiet");
        }
    }

    private static void apply(String level) {
        set = true;
        avutil.av_log_set_level(switch (level) {
            case "error" -> avutil.AV_LOG_ERROR;
            case "warning" -> avutil.AV_LOG_WARNING;
            case "info" -> avutil.AV_LOG_INFO;
            case "debug" -> avutil.AV_LOG_DEBUG;
            default -> avutil.AV_LOG_QUIET;
        });
    }

    /** The text FFmpeg gives for an error code, e.g. "Invalid data found when processing input". */
    public static String describe(int code) {
        byte[] buffer = new byte[256];
        avutil.av_strerror(code, buffer, buffer.length);
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }
}
