package org.segstream.launcher.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * A live camera on loopback: Debian's ffmpeg serving an endless MPEG-TS stream (H.264, a key frame
 * every 5 frames) of a moving test pattern over HTTP at its real rate. {@link #disconnect} kills the
 * server, {@link #reconnect} brings it back on the same URL.
 */
public final class LiveCamera implements AutoCloseable {
    private final int width;
    private final int height;
    private final int fps;
    private final int port;
    private Process server;

    public LiveCamera(int width, int height, int fps) throws IOException {
        this.width = width;
        this.height = height;
        this.fps = fps;
        try (var socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
        reconnect();
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/live.ts";
    }

    /** The camera goes away: the server dies, the open connection with it. */
    public void disconnect() throws InterruptedException {
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
    }

    /** The camera is back (a new server on the same URL). */
    public void reconnect() throws IOException {
        server = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi",
                "-i", TestMedia.pattern(width, height, fps, 0), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "5", "-pix_fmt", "yuv420p", "-f", "mpegts", "-listen", "1", url())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Override
    public void close() throws InterruptedException {
        disconnect();
    }
}
