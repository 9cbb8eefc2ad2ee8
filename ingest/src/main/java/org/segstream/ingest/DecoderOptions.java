package org.segstream.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.segstream.contract.SourceKind;

/**
 * How FFmpeg may open a source: a local location must exist first, and the grabber gets packed BGR
 * output, a pixel limit, bounded probing, only the protocols of the source's own family and, for a
 * network source, read timeouts. These options are what stands between a hostile input and the process.
 */
final class DecoderOptions {
    /** The longest a probe may analyse a source (FFmpeg's analyzeduration). */
    static final Duration MAX_PROBE = Duration.ofSeconds(10);
    private static final String PROBE_BYTES = "10000000";

    private DecoderOptions() {
    }

    /** Refuses a file or device that does not exist or cannot be read, before FFmpeg is asked (URLs are FFmpeg's to open). */
    static void requireLocalSource(SourceSpec source) throws SourceException {
        if (source.isUrl()) {
            return;
        }
        Path path = Path.of(source.location());
        if (!Files.exists(path)) {
            throw new SourceException(source, source.isDevice() ? "no such device" : "no such file");
        }
        if (!source.isDevice() && (!Files.isRegularFile(path) || !Files.isReadable(path))) {
            throw new SourceException(source, "not a readable file");
        }
    }

    /** Sets every option of {@code grabber} for {@code source}; network reads fail after {@code readTimeoutMicros} of silence. */
    static void apply(FFmpegFrameGrabber grabber, SourceSpec source, long maxPixels, long readTimeoutMicros) {
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        grabber.setVideoOption("threads", "auto");
        grabber.setVideoOption("max_pixels", Long.toString(Math.min(Integer.MAX_VALUE, maxPixels))); // the decoder refuses bigger frames itself
        // Bounded probing: a hostile or broken input cannot make the probe read for ever.
        grabber.setOption("probesize", PROBE_BYTES);
        grabber.setOption("analyzeduration", Long.toString(MAX_PROBE.toNanos() / 1000));
        grabber.setOption("protocol_whitelist", protocolWhitelist(source));
        if (inputFormat(source) != null) {
            grabber.setFormat(inputFormat(source));
        }
        if (source.kind() == SourceKind.LIVE && !source.isDevice()) {
            applyNetworkTimeouts(grabber, source, Long.toString(readTimeoutMicros));
        }
    }

    private static void applyNetworkTimeouts(FFmpegFrameGrabber grabber, SourceSpec source, String timeoutMicros) {
        grabber.setOption("rw_timeout", timeoutMicros); // a silent network source fails instead of hanging
        if (!source.location().regionMatches(true, 0, "rtmp", 0, 4)) {
            // Socket timeout for http, rtsp, tcp, udp; for rtmp "timeout" would mean "listen for a publisher".
            grabber.setOption("timeout", timeoutMicros);
        }
        if (source.location().regionMatches(true, 0, "rtsp", 0, 4)) {
            grabber.setOption("rtsp_transport", source.options().rtspTransport());
        }
    }

    /**
     * The protocols FFmpeg may open for a source, by the kind of its location: a file may only read
     * files, a network source only its own family of network protocols. This is what stops an HLS
     * playlist served over HTTP from making FFmpeg read {@code file:///etc/passwd} or a local segment.
     */
    static String protocolWhitelist(SourceSpec source) {
        if (!source.isUrl()) { // files, and V4L2 devices (which FFmpeg opens as files)
            return "file";
        }
        String scheme = source.location().substring(0, source.location().indexOf(':')).toLowerCase(Locale.ROOT);
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
}
