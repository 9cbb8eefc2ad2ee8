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
        return new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1",
                "-i", clip.toString(), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "5",
                "-pix_fmt", "yuv420p", "-f", "mpegts", "-listen", "1", url)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * An RTMP server (ffmpeg's listen mode) that plays {@code clip} in FLV/H.264 at its native rate to
     * the one client that connects to {@code url} (rtmp://127.0.0.1:PORT/app/stream).
     */
    static Process serveRtmp(Path clip, String url) throws IOException {
        return new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1",
                "-i", clip.toString(), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "5",
                "-pix_fmt", "yuv420p", "-f", "flv", "-listen", "1", url)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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
