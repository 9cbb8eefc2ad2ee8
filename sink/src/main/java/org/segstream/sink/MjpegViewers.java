package org.segstream.sink;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import org.segstream.contract.FrameIdentity;

/**
 * {@code /live/<stream>.mjpg}: multipart/x-mixed-replace, a new JPEG part whenever the stream has a new
 * overlay (at most 10 a second), and the last one again after {@link LiveViewConfig#keepAlive()}
 * without one. At most {@link LiveViewConfig#maxViewers()} viewers at once (503 beyond). A viewing ends
 * when the viewer leaves, stops reading, or the stream is forgotten.
 */
final class MjpegViewers {
    private static final String BOUNDARY = "segstream-frame";
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final long POLL_MILLIS = 100;

    private final LiveViewConfig config;
    private final ShownStreams streams;
    private final BooleanSupplier open;
    private final Semaphore slots;

    MjpegViewers(LiveViewConfig config, ShownStreams streams, BooleanSupplier open) {
        this.config = config;
        this.streams = streams;
        this.open = open;
        this.slots = new Semaphore(config.maxViewers());
    }

    void serve(HttpExchange exchange, LiveHttp.Request request) throws IOException {
        String stream = LiveHttp.streamName(exchange, "/live/", ".mjpg");
        if (streams.latest(stream) == null) {
            LiveHttp.sendText(exchange, 404, "no such stream");
            return;
        }
        if (!slots.tryAcquire()) {
            exchange.getResponseHeaders().add("Retry-After", "10");
            LiveHttp.sendText(exchange, 503, "the live page serves at most " + config.maxViewers()
                    + " video viewers at once (SEGSTREAM_LIVE_MAX_VIEWERS)\n");
            return;
        }
        try {
            exchange.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY);
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            request.busySinceNanos = 0;
            stream(exchange.getResponseBody(), stream, request);
        } catch (IOException | InterruptedException viewerLeft) {
            // the viewer closed the connection, or stopped reading and was cut off
        } finally {
            slots.release();
        }
    }

    private void stream(OutputStream out, String stream, LiveHttp.Request request) throws IOException, InterruptedException {
        long keepAlive = config.keepAlive().toNanos();
        FrameIdentity lastSent = null;
        long lastWriteNanos = 0;
        while (open.getAsBoolean()) {
            ShownStreams.Latest latest = streams.latest(stream);
            if (latest == null) {
                return; // the stream was forgotten
            }
            long now = System.nanoTime();
            if (latest.frame != lastSent || now - lastWriteNanos >= keepAlive) {
                request.busySinceNanos = now;
                writePart(out, latest.jpeg());
                request.busySinceNanos = 0;
                lastSent = latest.frame;
                lastWriteNanos = now;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static void writePart(OutputStream out, byte[] jpeg) throws IOException {
        out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(jpeg);
        out.write(CRLF);
        out.flush();
    }
}
