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
import java.util.function.LongSupplier;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's live page: every stream with its latest overlay, fps, end-to-end latency and drop
 * counts, and whether it is still live. {@code /} the page, {@code /api/streams} the figures as JSON,
 * {@code /frame/<stream>.jpg} the latest overlay, {@code /live/<stream>.mjpg} an MJPEG stream (VLC,
 * ffplay, browsers). Overlays are JPEG-encoded only when someone asks for them. Rates are over the
 * last {@link FrameRate#WINDOW}; a stream silent for longer than {@link StreamStatus#offlineAfter}
 * shows as offline with 0 fps.
 */
public final class LiveView implements SinkListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveView.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOUNDARY = "segstream-frame";

    /** The latest state of one stream; replaced whole on every frame, so readers need no lock. */
    private record Latest(FrameIdentity frame, BgrImage overlay, long latencyMillis, long written, long skipped,
                          long updatedNanos) {
    }

    private final Map<String, Latest> streams = new ConcurrentHashMap<>();
    private final Map<String, FrameRate> rates = new ConcurrentHashMap<>();
    private final Map<String, byte[]> jpegCache = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final LongSupplier nanoClock;
    private volatile boolean open = true;

    private LiveView(HttpServer server, LongSupplier nanoClock) {
        this.server = server;
        this.nanoClock = nanoClock;
    }

    /** Serves the page on {@code bind}:{@code port} (0 picks a free port). */
    public static LiveView start(String bind, int port) throws IOException {
        return start(bind, port, System::nanoTime);
    }

    /** As {@link #start(String, int)}, with the times of frames and readings taken from {@code nanoClock} (tests). */
    static LiveView start(String bind, int port, LongSupplier nanoClock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        var view = new LiveView(server, nanoClock);
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
        long now = nanoClock.getAsLong();
        rates.computeIfAbsent(frame.stream(), s -> new FrameRate()).frame(now);
        streams.compute(frame.stream(), (stream, before) -> before == null
                ? new Latest(frame, overlay, timeline.endToEndMillis(), 1, 0, now)
                : new Latest(frame, overlay, timeline.endToEndMillis(), before.written() + 1, before.skipped(), now));
        jpegCache.remove(frame.stream());
    }

    /** Gaps and frames gone from the frames topic, for a stream the page already shows. */
    @Override
    public void framesMissing(String stream, long count, String reason) {
        Latest after = streams.computeIfPresent(stream, (s, l) -> new Latest(l.frame(), l.overlay(), l.latencyMillis(), l.written(),
                l.skipped() + count, l.updatedNanos()));
        if (after != null) {
            rates.get(stream).dropped(count, nanoClock.getAsLong());
        }
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
        long now = nanoClock.getAsLong();
        streams.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Latest l = e.getValue();
            StreamStatus status = StreamStatus.of(rates.get(e.getKey()), l.updatedNanos(), l.frame().fps(), now);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stream", e.getKey());
            row.put("session", l.frame().session());
            row.put("seq", l.frame().seq());
            row.put("width", l.frame().width());
            row.put("height", l.frame().height());
            row.put("fps", tenths(status.fps()));
            row.put("latency_ms", l.latencyMillis());
            row.put("written", l.written());
            row.put("dropped", l.skipped());
            row.put("drop_rate", tenths(status.dropRate()));
            row.put("last_frame_age_ms", status.lastFrameAgeMillis());
            row.put("online", status.online());
            list.add(row);
        });
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(list));
    }

    private static double tenths(double value) {
        return Math.round(value * 10) / 10.0;
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

    /**
     * The page: polls /api/streams once a second and swaps in each stream's newest overlay. Figures
     * are kept in a Map (a plain object would break on a stream named {@code __proto__}); every
     * text from a stream goes in through textContent, never as HTML.
     */
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
              .state { font-size: .8rem; padding: 0 .4em; border-radius: 3px; background: #555; }
              figure[data-online="true"] .state { background: #1d6b3a; }
              figure[data-online="false"] .state { background: #8b2323; }
              figure[data-online="false"] img { opacity: .45; }
            </style></head>
            <body><h1>segstream live</h1><p id="status">waiting for streams…</p><div id="streams"></div>
            <script>
            const figures = new Map();
            function figureFor(s) {
              if (figures.has(s.stream)) return figures.get(s.stream);
              const f = document.createElement('figure');
              f.id = 'stream-' + s.stream;
              f.innerHTML = '<img alt=""><figcaption><span class="state"></span> <span class="name"></span> '
                + '<span class="stats"></span></figcaption>';
              f.querySelector('.name').textContent = s.stream;
              const img = f.querySelector('img');
              img.alt = 'live overlay of ' + s.stream;
              img.addEventListener('load', () => { img.dataset.loaded = img.naturalWidth; img.dataset.loadedSeq = img.dataset.seq; });
              document.getElementById('streams').appendChild(f);
              figures.set(s.stream, f);
              return f;
            }
            function since(ms) {
              const s = Math.round(ms / 1000);
              return s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : Math.round(s / 3600) + ' h';
            }
            async function refresh() {
              try {
                const streams = await (await fetch('/api/streams', {cache: 'no-store'})).json();
                const live = streams.filter(s => s.online).length;
                document.getElementById('status').textContent = `${streams.length} stream(s), ${live} live`;
                for (const s of streams) {
                  const f = figureFor(s);
                  const img = f.querySelector('img');
                  if (img.dataset.seq !== String(s.seq)) {
                    img.dataset.seq = s.seq;
                    img.src = '/frame/' + encodeURIComponent(s.stream) + '.jpg?seq=' + s.seq;
                  }
                  f.dataset.online = s.online;
                  f.querySelector('.state').textContent = s.online ? 'live' : 'offline ' + since(s.last_frame_age_ms);
                  f.querySelector('.stats').textContent = `${s.width}x${s.height} · ${s.fps.toFixed(1)} fps · `
                    + `latency ${s.latency_ms} ms · dropped ${s.dropped} (${s.drop_rate.toFixed(1)}/s) · seq ${s.seq}`;
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
