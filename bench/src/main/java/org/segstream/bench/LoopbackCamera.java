package org.segstream.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A live camera for the benchmark: Debian's ffmpeg serving a clip over and over at its own frame rate as
 * an endless MPEG-TS stream over HTTP on loopback, each packet sent as it is due ({@code -re}, no
 * re-encoding, so the camera costs next to no CPU). Ingest reads it as it reads any HTTP camera: the
 * frames take the product's whole live path. One viewer per camera (ffmpeg's {@code -listen 1}).
 */
final class LoopbackCamera implements AutoCloseable {
    private static final long LISTEN_TIMEOUT_MS = 10_000;

    private final String url;
    private final Process server;

    private LoopbackCamera(String url, Process server) {
        this.url = url;
        this.server = server;
    }

    /** Starts serving {@code clip} (its frame rate is the camera's) as {@code name}; returns once it listens. */
    static LoopbackCamera start(Path clip, String name) throws IOException, InterruptedException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/" + name + ".ts";
        Process server = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1",
                "-i", clip.toString(), "-c", "copy", "-flush_packets", "1", "-f", "mpegts", "-listen", "1", url)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        var camera = new LoopbackCamera(url, server);
        try {
            camera.awaitListening(port);
        } catch (IOException | InterruptedException | RuntimeException e) {
            camera.close();
            throw e;
        }
        return camera;
    }

    String url() {
        return url;
    }

    /**
     * Waits until the port is in LISTEN state in {@code /proc/net/tcp}: a test connection would be the
     * camera's one viewer, and ingest gives up on a live source whose first connection is refused.
     */
    private void awaitListening(int port) throws IOException, InterruptedException {
        String local = String.format(Locale.ROOT, ":%04X ", port);
        long deadline = System.currentTimeMillis() + LISTEN_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!server.isAlive()) {
                throw new IOException("ffmpeg serving the camera " + url + " exited with " + server.exitValue()
                        + " (is Debian's ffmpeg installed?)");
            }
            for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 3 && (fields[1] + " ").endsWith(local) && fields[3].equals("0A")) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("ffmpeg did not listen on " + url + " within " + LISTEN_TIMEOUT_MS + " ms");
    }

    @Override
    public void close() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(5, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
