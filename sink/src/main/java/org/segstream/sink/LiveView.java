package org.segstream.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's live page: every stream with its latest overlay, fps, end-to-end latency and drop
 * counts. {@code /} the page, {@code /api/streams} the figures as JSON, {@code /frame/<stream>.jpg}
 * the latest overlay, {@code /live/<stream>.mjpg} an MJPEG stream (VLC, ffplay, browsers).
 * Overlays are JPEG-encoded only when someone asks for them.
 */
public final class LiveView implements SinkListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveView.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOUNDARY = "segstream-frame";

    /** The latest state of one stream; replaced whole on every frame, so readers need no lock. */
    private record Latest(FrameIdentity frame, BgrImage overlay, double fps, long latencyMillis, long written, long skipped,
                          long updatedNanos) {
    }

    private final Map<String, Latest> streams = new ConcurrentHashMap<>();
    private final Map<String, byte[]> jpegCache = new ConcurrentHashMap<>();
    private final HttpServer server;
    private volatile boolean open = true;

    private LiveView(HttpServer server) {
        this.server = server;
    }

    /** Serves the page on {@code bind}:{@code port} (0 picks a free port). */
    public static LiveView start(String bind, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        var view = new LiveView(server);
        server.createContext("/", view::page);
        server.createContext("/api/streams", view::streamsJson);
        server.createContext("/frame/", view::frameJpeg);
        server.createContext("/live/", view::mjpeg);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "segstream-live-view");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        log.info("live view on http://{}:{}/", bind, server.getAddress().getPort());
        return view;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void frameWritten(FrameIdentity frame, BgrImage overlay, FrameTimeline timeline) {
        long now = System.nanoTime();
        streams.compute(frame.stream(), (stream, before) -> {
            double fps = 0;
            long written = 1;
            long skipped = 0;
            if (before != null) {
                double seconds = (now - before.updatedNanos()) / 1e9;
                double instant = seconds > 0 ? 1 / seconds : before.fps();
                fps = before.fps() == 0 ? instant : 0.9 * before.fps() + 0.1 * instant; // smoothed
                written = before.written() + 1;
                skipped = before.skipped();
            }
            return new Latest(frame, overlay, fps, timeline.endToEndMillis(), written, skipped, now);
        });
        jpegCache.remove(frame.stream());
    }

    @Override
    public void framesMissing(String stream, long count, String reason) {
        streams.computeIfPresent(stream, (s, l) -> new Latest(l.frame(), l.overlay(), l.fps(), l.latencyMillis(), l.written(),
                l.skipped() + count, l.updatedNanos()));
    }

    private byte[] jpeg(String stream) {
        Latest latest = streams.get(stream);
        if (latest == null) {
            return null;
        }
        return jpegCache.computeIfAbsent(stream, s -> JpegCodec.encode(latest.overlay(), 80));
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, 200, "text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8));
    }

    private void streamsJson(HttpExchange exchange) throws IOException {
        List<Map<String, Object>> list = new ArrayList<>();
        streams.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Latest l = e.getValue();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stream", e.getKey());
            row.put("session", l.frame().session());
            row.put("seq", l.frame().seq());
            row.put("width", l.frame().width());
            row.put("height", l.frame().height());
            row.put("fps", Math.round(l.fps() * 10) / 10.0);
            row.put("latency_ms", l.latencyMillis());
            row.put("written", l.written());
            row.put("dropped", l.skipped());
            row.put("age_ms", (System.nanoTime() - l.updatedNanos()) / 1_000_000);
            list.add(row);
        });
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(list));
    }

    private void frameJpeg(HttpExchange exchange) throws IOException {
        byte[] jpeg = jpeg(streamName(exchange, "/frame/", ".jpg"));
        if (jpeg == null) {
            send(exchange, 404, "text/plain", "no such stream".getBytes(StandardCharsets.UTF_8));
        } else {
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            send(exchange, 200, "image/jpeg", jpeg);
        }
    }

    /** multipart/x-mixed-replace: a new JPEG part whenever the stream has a new overlay, at most 10 a second. */
    private void mjpeg(HttpExchange exchange) throws IOException {
        String stream = streamName(exchange, "/live/", ".mjpg");
        if (!streams.containsKey(stream)) {
            send(exchange, 404, "text/plain", "no such stream".getBytes(StandardCharsets.UTF_8));
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY);
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        long lastSeq = -1;
        try (OutputStream out = exchange.getResponseBody()) {
            while (open) {
                Latest latest = streams.get(stream);
                if (latest != null && latest.frame().seq() != lastSeq) {
                    byte[] jpeg = jpeg(stream);
                    out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(jpeg);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    lastSeq = latest.frame().seq();
                }
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException viewerLeft) {
            // the viewer closed the connection
        }
    }

    private static String streamName(HttpExchange exchange, String prefix, String suffix) {
        String path = exchange.getRequestURI().getPath().substring(prefix.length());
        if (path.endsWith(suffix)) {
            path = path.substring(0, path.length() - suffix.length());
        }
        return URLDecoder.decode(path, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        open = false;
        server.stop(0);
    }

    /** The page: polls /api/streams once a second and swaps in each stream's newest overlay. */
    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>segstream live</title>
            <style>
              body { font-family: system-ui, sans-serif; background: #111; color: #eee; margin: 1rem; }
              #streams { display: flex; flex-wrap: wrap; gap: 1rem; }
              figure { margin: 0; background: #222; padding: .5rem; border-radius: 6px; }
              img { display: block; max-width: 640px; width: 100%; background: #000; }
              figcaption { font-size: .9rem; margin-top: .3rem; }
              .name { font-weight: bold; }
            </style></head>
            <body><h1>segstream live</h1><p id="status">waiting for streams…</p><div id="streams"></div>
            <script>
            const figures = {};
            function figureFor(s) {
              if (figures[s.stream]) return figures[s.stream];
              const f = document.createElement('figure');
              f.id = 'stream-' + s.stream;
              f.innerHTML = '<img alt=""><figcaption><span class="name"></span> <span class="stats"></span></figcaption>';
              f.querySelector('.name').textContent = s.stream;
              const img = f.querySelector('img');
              img.alt = 'live overlay of ' + s.stream;
              img.addEventListener('load', () => { img.dataset.loaded = img.naturalWidth; img.dataset.loadedSeq = img.dataset.seq; });
              document.getElementById('streams').appendChild(f);
              return figures[s.stream] = f;
            }
            async function refresh() {
              try {
                const streams = await (await fetch('/api/streams', {cache: 'no-store'})).json();
                document.getElementById('status').textContent = streams.length + ' stream(s)';
                for (const s of streams) {
                  const f = figureFor(s);
                  const img = f.querySelector('img');
                  if (img.dataset.seq !== String(s.seq)) {
                    img.dataset.seq = s.seq;
                    img.src = '/frame/' + encodeURIComponent(s.stream) + '.jpg?seq=' + s.seq;
                  }
                  f.querySelector('.stats').textContent =
                    `${s.width}x${s.height} · ${s.fps} fps · latency ${s.latency_ms} ms · dropped ${s.dropped} · seq ${s.seq}`;
                }
              } catch (e) {
                document.getElementById('status').textContent = 'sink unreachable: ' + e;
              }
            }
            refresh();
            setInterval(refresh, 1000);
            </script></body></html>
            """;
}
