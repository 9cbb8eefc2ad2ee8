package org.segstream.video;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg's console output. Its chatter (x264 statistics, demuxer warnings) would interleave with
 * segstream's one-line errors, so it is off unless SEGSTREAM_FFMPEG_LOG says otherwise
 * (error, warning, info or debug).
 */
public final class FfmpegLog {
    private static volatile boolean done;

    private FfmpegLog() {
    }

    public static void quietByDefault() {
        if (done) {
            return;
        }
        done = true;
        String level = System.getenv().getOrDefault("SEGSTREAM_FFMPEG_LOG", "quiet");
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
