package org.segstream.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A misbehaving HTTP camera on loopback, for what ffmpeg's own server cannot do: every connection
 * gets an MPEG-TS {@code body}, then either silence with the connection held open ({@code tail} null:
 * only a read timeout notices), or {@code tail} repeated every 10 ms for ever (bytes keep flowing, so
 * no read timeout fires).
 */
final class LoopbackTsCamera implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    LoopbackTsCamera(byte[] body, byte[] tail) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    open.add(socket);
                    Thread serving = new Thread(() -> serve(socket, body, tail), "loopback-camera");
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "loopback-camera-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void serve(Socket socket, byte[] body, byte[] tail) {
        try {
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            while (!in.readLine().isEmpty()) {
                // request headers
            }
            var out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            while (tail != null) {
                out.write(tail);
                out.flush();
                Thread.sleep(10); // the stalled camera trickles stuffing: pacing, not a wait
            }
        } catch (IOException | InterruptedException closed) {
            // the test closed the connection
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/live.ts";
    }

    /** Connections accepted so far. */
    int connections() {
        return open.size();
    }

    /** Closes the server and every connection. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
