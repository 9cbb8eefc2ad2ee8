package org.segstream.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What the live page shows: {@code /} the page ({@code live.html}, which polls the figures once a
 * second), {@code /api/streams} the figures as JSON, {@code /frame/<stream>.jpg} a stream's latest
 * overlay. The page puts every text from a stream in through textContent, never as HTML.
 */
final class LivePage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] HTML = load("live.html");

    private final ShownStreams streams;

    LivePage(ShownStreams streams) {
        this.streams = streams;
    }

    private static byte[] load(String resource) {
        try (InputStream in = LivePage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the live page's " + resource + " is missing from the sink's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void page(HttpExchange exchange, LiveHttp.Request request) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            LiveHttp.sendText(exchange, 404, "not found");
            return;
        }
        LiveHttp.send(exchange, 200, "text/html; charset=utf-8", HTML);
    }

    void streamsJson(HttpExchange exchange, LiveHttp.Request request) throws IOException {
        LiveHttp.send(exchange, 200, "application/json", JSON.writeValueAsBytes(streams.rows()));
    }

    void frameJpeg(HttpExchange exchange, LiveHttp.Request request) throws IOException {
        ShownStreams.Latest latest = streams.latest(LiveHttp.streamName(exchange, "/frame/", ".jpg"));
        if (latest == null) {
            LiveHttp.sendText(exchange, 404, "no such stream");
        } else {
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            LiveHttp.send(exchange, 200, "image/jpeg", latest.jpeg());
        }
    }
}
