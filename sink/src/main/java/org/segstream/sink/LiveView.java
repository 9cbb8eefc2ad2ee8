package org.segstream.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>It stays small whatever comes: at most {@link StreamLimits#maxStreams()} streams, each
 * forgotten after {@link StreamLimits#idle()} without a frame (or when the sink stops tracking it);
 * a fixed pool of threads, with at most {@link LiveViewConfig#maxViewers()} MJPEG viewers (503
 * beyond); a viewer gets its last picture again every {@link LiveViewConfig#keepAlive()}, so one that
 * left is noticed within seconds, and one that stops reading is cut off after
 * {@link LiveViewConfig#writeTimeout()}. With a password set, every path asks for HTTP Basic
 * authentication, which browsers, VLC ({@code http://user:password@host:port/live/cam.mjpg}), ffplay
 * and curl ({@code -u}) all speak.
 */
public final class LiveView implements SinkListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveView.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOUNDARY = "segstream-frame";
    /** Threads beside the viewers' for the page, /api/streams, single pictures and 503s. */
    private static final int PAGE_THREADS = 4;
    /** An idle pool thread ends after this long, so the thread count goes back down when viewers leave. */
    private static final long THREAD_KEEP_ALIVE_SECONDS = 5;
    private static final long SWEEP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One picture of a stream and its figures; the JPEG is encoded once, when first asked for. */
    private static final class Latest {
        final FrameIdentity frame;
        final BgrImage overlay;
        final long latencyMillis;
        final long written;
        final long skipped;
        final long updatedNanos;
        private byte[] jpeg;

        Latest(FrameIdentity frame, BgrImage overlay, long latencyMillis, long written, long skipped, long updatedNanos, byte[] jpeg) {
            this.frame = frame;
            this.overlay = overlay;
            this.latencyMillis = latencyMillis;
            this.written = written;
            this.skipped = skipped;
            this.updatedNanos = updatedNanos;
            this.jpeg = jpeg;
        }

        synchronized byte[] jpeg() {
            if (jpeg == null) {
                jpeg = JpegCodec.encode(overlay, 80);
            }
            return jpeg;
        }

        synchronized Latest withSkipped(long more) {
            return new Latest(frame, overlay, latencyMillis, written, skipped + more, updatedNanos, jpeg);
        }
    }

    /** What the page keeps of one stream; {@code latest} is replaced whole on every frame, so readers need no lock. */
    private static final class Shown {
        final FrameRate rate = new FrameRate();
        volatile Latest latest;
    }

    /**
     * One request being answered, as the write-timeout watchdog sees it: {@code busySinceNanos} is when
     * the current write began (0: not writing). The watchdog interrupts a request's thread only while
     * it is {@code active}, so it never hits the next request that thread serves.
     */
    private static final class Request {
        final Thread thread = Thread.currentThread();
        volatile long busySinceNanos;
        private boolean active = true;

        synchronized void interruptIfSlow(long nowNanos, long timeoutNanos) {
            long since = busySinceNanos;
            if (active && since != 0 && nowNanos - since > timeoutNanos) {
                thread.interrupt(); // a thread blocked writing to a socket channel: the channel closes and the write fails
            }
        }

        synchronized void finish() {
            active = false;
        }
    }

    /** A handler that is told about its own request, so an MJPEG viewer can time each picture rather than the whole response. */
    private interface Handler {
        void handle(HttpExchange exchange, Request request) throws IOException;
    }

    private final Map<String, Shown> streams = new ConcurrentHashMap<>();
    private final Set<Request> requests = ConcurrentHashMap.newKeySet();
    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService watchdog;
    private final Semaphore viewerSlots;
    private final LiveViewConfig config;
    private final StreamLimits limits;
    private final LongSupplier nanoClock;
    private volatile long lastSweepNanos;
    private volatile boolean open = true;

    private LiveView(HttpServer server, LiveViewConfig config, StreamLimits limits, LongSupplier nanoClock) {
        this.server = server;
        this.config = config;
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.viewerSlots = new Semaphore(config.maxViewers());
        int threads = config.maxViewers() + PAGE_THREADS;
        this.pool = new ThreadPoolExecutor(threads, threads, THREAD_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("segstream-live-view"));
        this.pool.allowCoreThreadTimeOut(true);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("segstream-live-watchdog"));
        this.lastSweepNanos = nanoClock.getAsLong();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Serves the page on {@code bind}:{@code port} (0 picks a free port), without a password, with the default limits. */
    public static LiveView start(String bind, int port) throws IOException {
        return start(LiveViewConfig.on(bind, port), StreamLimits.DEFAULTS);
    }

    /** Serves the page as {@code config} says, keeping at most as many streams as {@code limits} allow. */
    public static LiveView start(LiveViewConfig config, StreamLimits limits) throws IOException {
        return start(config, limits, System::nanoTime);
    }

    /** As {@link #start(String, int)}, with the times of frames and readings taken from {@code nanoClock} (tests). */
    static LiveView start(String bind, int port, LongSupplier nanoClock) throws IOException {
        return start(LiveViewConfig.on(bind, port), StreamLimits.DEFAULTS, nanoClock);
    }

    /** As {@link #start(LiveViewConfig, StreamLimits)}, with the times of frames and readings taken from {@code nanoClock} (tests). */
    static LiveView start(LiveViewConfig config, StreamLimits limits, LongSupplier nanoClock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 64);
        var view = new LiveView(server, config, limits, nanoClock);
        view.route("/", view::page);
        view.route("/api/streams", view::streamsJson);
        view.route("/frame/", view::frameJpeg);
        view.route("/live/", view::mjpeg);
        server.setExecutor(view.pool);
        long checkEvery = Math.max(50, Math.min(500, config.writeTimeout().toMillis() / 4));
        view.watchdog.scheduleWithFixedDelay(view::interruptSlowWriters, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
        server.start();
        log.info("live view on http://{}:{}/ ({}; at most {} video viewers)", config.bind(), server.getAddress().getPort(),
                config.authenticates() ? "sign-in required" : "no sign-in", config.maxViewers());
        if (!config.authenticates() && !InetAddress.getByName(config.bind()).isLoopbackAddress()) {
            log.warn("the live page listens on {} without a password: anyone who reaches port {} sees every stream"
                    + " (set SEGSTREAM_LIVE_PASSWORD or SEGSTREAM_LIVE_PASSWORD_FILE)", config.bind(), server.getAddress().getPort());
        }
        return view;
    }

    private void route(String path, Handler handler) {
        HttpContext context = server.createContext(path, exchange -> {
            var request = new Request();
            request.busySinceNanos = System.nanoTime(); // a whole quick answer is timed; an MJPEG viewer times each picture
            requests.add(request);
            try {
                handler.handle(exchange, request);
            } finally {
                request.busySinceNanos = System.nanoTime(); // closing may flush to a viewer that stopped reading
                try {
                    exchange.close();
                } catch (RuntimeException ignored) {
                    // the connection is gone already
                }
                request.finish();
                requests.remove(request);
                Thread.interrupted(); // an interrupt meant for this request must not reach the next one on this thread
            }
        });
        if (config.authenticates()) {
            context.setAuthenticator(new Login(config.user(), config.password()));
        }
    }

    /** HTTP Basic authentication with one user; compares in constant time. */
    private static final class Login extends BasicAuthenticator {
        private final byte[] user;
        private final byte[] password;

        Login(String user, String password) {
            super("segstream live", StandardCharsets.UTF_8);
            this.user = user.getBytes(StandardCharsets.UTF_8);
            this.password = password.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean checkCredentials(String givenUser, String givenPassword) {
            boolean userMatches = MessageDigest.isEqual(user, givenUser.getBytes(StandardCharsets.UTF_8));
            boolean passwordMatches = MessageDigest.isEqual(password, givenPassword.getBytes(StandardCharsets.UTF_8));
            return userMatches & passwordMatches;
        }
    }

    private void interruptSlowWriters() {
        long now = System.nanoTime();
        long timeout = config.writeTimeout().toNanos();
        for (Request request : requests) {
            request.interruptIfSlow(now, timeout);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Streams the page holds now. */
    int streamCount() {
        return streams.size();
    }

    @Override
    public void frameWritten(FrameIdentity frame, BgrImage overlay, FrameTimeline timeline) {
        long now = nanoClock.getAsLong();
        Shown shown = streams.get(frame.stream());
        if (shown == null) {
            makeRoom(now);
            shown = streams.computeIfAbsent(frame.stream(), s -> new Shown());
        }
        shown.rate.frame(now);
        Latest before = shown.latest;
        shown.latest = new Latest(frame, overlay, timeline.endToEndMillis(), before == null ? 1 : before.written + 1,
                before == null ? 0 : before.skipped, now, null);
        if (now - lastSweepNanos > SWEEP_EVERY_NANOS) {
            sweep(now);
        }
    }

    /** Gaps and frames gone from the frames topic, for a stream the page already shows. */
    @Override
    public void framesMissing(String stream, long count, String reason) {
        Shown shown = streams.get(stream);
        Latest latest = shown == null ? null : shown.latest;
        if (latest != null) {
            shown.latest = latest.withSkipped(count);
            shown.rate.dropped(count, nanoClock.getAsLong());
        }
    }

    @Override
    public void streamEvicted(String stream) {
        streams.remove(stream);
    }

    /** Forgets streams without a frame for the idle timeout. */
    private void sweep(long now) {
        lastSweepNanos = now;
        long idle = limits.idle().toNanos();
        streams.entrySet().removeIf(e -> {
            Latest latest = e.getValue().latest;
            return latest != null && now - latest.updatedNanos > idle;
        });
    }

    /** Before a new stream is shown: forgets idle streams, then the least recently updated one if the page is still full. */
    private void makeRoom(long now) {
        if (streams.size() < limits.maxStreams()) {
            return;
        }
        sweep(now);
        while (streams.size() >= limits.maxStreams()) {
            String oldest = null;
            long oldestNanos = Long.MAX_VALUE;
            for (Map.Entry<String, Shown> e : streams.entrySet()) {
                Latest latest = e.getValue().latest;
                long updated = latest == null ? Long.MIN_VALUE : latest.updatedNanos;
                if (oldest == null || updated - oldestNanos < 0) {
                    oldest = e.getKey();
                    oldestNanos = updated;
                }
            }
            if (oldest == null) {
                return;
            }
            streams.remove(oldest);
        }
    }

    private Latest latest(String stream) {
        Shown shown = stream == null ? null : streams.get(stream);
        return shown == null ? null : shown.latest;
    }

    private void page(HttpExchange exchange, Request request) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, 200, "text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8));
    }

    private void streamsJson(HttpExchange exchange, Request request) throws IOException {
        List<Map<String, Object>> list = new ArrayList<>();
        long now = nanoClock.getAsLong();
        sweep(now);
        streams.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Latest l = e.getValue().latest;
            if (l == null) {
                return;
            }
            StreamStatus status = StreamStatus.of(e.getValue().rate, l.updatedNanos, l.frame.fps(), now);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stream", e.getKey());
            row.put("session", l.frame.session());
            row.put("seq", l.frame.seq());
            row.put("width", l.frame.width());
            row.put("height", l.frame.height());
            row.put("fps", tenths(status.fps()));
            row.put("latency_ms", l.latencyMillis);
            row.put("written", l.written);
            row.put("dropped", l.skipped);
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

    private void frameJpeg(HttpExchange exchange, Request request) throws IOException {
        Latest latest = latest(streamName(exchange, "/frame/", ".jpg"));
        if (latest == null) {
            send(exchange, 404, "text/plain", "no such stream".getBytes(StandardCharsets.UTF_8));
        } else {
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            send(exchange, 200, "image/jpeg", latest.jpeg());
        }
    }

    /**
     * multipart/x-mixed-replace: a new JPEG part whenever the stream has a new overlay (at most 10 a
     * second), and the last one again after {@link LiveViewConfig#keepAlive()} without one. Ends when
     * the viewer leaves, stops reading, or the stream is forgotten.
     */
    private void mjpeg(HttpExchange exchange, Request request) throws IOException {
        String stream = streamName(exchange, "/live/", ".mjpg");
        if (latest(stream) == null) {
            send(exchange, 404, "text/plain", "no such stream".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!viewerSlots.tryAcquire()) {
            exchange.getResponseHeaders().add("Retry-After", "10");
            send(exchange, 503, "text/plain", ("the live page serves at most " + config.maxViewers()
                    + " video viewers at once (SEGSTREAM_LIVE_MAX_VIEWERS)\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            exchange.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY);
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            request.busySinceNanos = 0;
            long keepAlive = config.keepAlive().toNanos();
            FrameIdentity lastSent = null;
            long lastWriteNanos = 0;
            while (open) {
                Latest latest = latest(stream);
                if (latest == null) {
                    return; // the stream was forgotten
                }
                long now = System.nanoTime();
                if (latest.frame != lastSent || now - lastWriteNanos >= keepAlive) {
                    byte[] jpeg = latest.jpeg();
                    request.busySinceNanos = now;
                    out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(jpeg);
                    out.write(CRLF);
                    out.flush();
                    request.busySinceNanos = 0;
                    lastSent = latest.frame;
                    lastWriteNanos = now;
                }
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException viewerLeft) {
            // the viewer closed the connection, or stopped reading and was cut off
        } finally {
            viewerSlots.release();
        }
    }

    /** The stream named by the path after {@code prefix}, without {@code suffix}; null when the name is not valid percent-encoding. */
    private static String streamName(HttpExchange exchange, String prefix, String suffix) {
        String path = exchange.getRequestURI().getRawPath().substring(prefix.length());
        if (path.endsWith(suffix)) {
            path = path.substring(0, path.length() - suffix.length());
        }
        try {
            return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return null;
        }
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
        watchdog.shutdownNow();
        pool.shutdownNow();
    }

    /**
     * The page: polls /api/streams once a second, swaps in each stream's newest overlay and drops the
     * streams the sink no longer tracks. Figures are kept in a Map (a plain object would break on a stream named {@code __proto__}); every
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
                const shown = new Set(streams.map(s => s.stream));
                for (const [name, f] of figures) {
                  if (!shown.has(name)) { f.remove(); figures.delete(name); } // the sink forgot the stream
                }
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
