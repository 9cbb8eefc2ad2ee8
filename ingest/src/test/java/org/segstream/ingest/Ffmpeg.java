package org.segstream.ingest;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test support: Debian's ffmpeg CLI as a real peer on loopback, and as a tool to make test media. */
final class Ffmpeg {
    private Ffmpeg() {
    }

    /** Runs ffmpeg to completion (errors only on stderr), failing the test if it fails. */
    static void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ffmpeg failed: " + command);
        }
    }

    /** An HTTP server of one live MPEG-TS stream (H.264, a key frame every 5 frames) looping {@code clip} at its native rate. */
    static Process serveHttpTs(Path clip, String url) throws IOException {
        return serveLive(clip, "mpegts", url);
    }

    /**
     * As {@link #serveHttpTs}, over HTTPS with a self-signed certificate made here by the openssl CLI
     * (FFmpeg's TLS client does not verify certificates unless told to).
     */
    static Process serveHttpsTs(Path clip, String url, Path dir) throws IOException, InterruptedException {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IOException("openssl could not make a test certificate");
        }
        return serveLive(clip, "mpegts", url, "-cert_file", cert.toString(), "-key_file", key.toString());
    }

    /**
     * An RTMP server (ffmpeg's listen mode) that plays {@code clip} in FLV/H.264 at its native rate to
     * the one client that connects to {@code url} (rtmp://127.0.0.1:PORT/app/stream).
     */
    static Process serveRtmp(Path clip, String url) throws IOException {
        return serveLive(clip, "flv", url);
    }

    /** ffmpeg listening on {@code url} for one client, to which it streams {@code clip} in a loop as H.264 in {@code format}. */
    private static Process serveLive(Path clip, String format, String url, String... listenOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
                "-stream_loop", "-1", "-i", clip.toString(), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "5", "-pix_fmt", "yuv420p", "-f", format, "-listen", "1"));
        command.addAll(List.of(listenOptions));
        command.add(url);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
