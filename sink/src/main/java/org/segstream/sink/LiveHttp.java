package org.segstream.sink;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The live page's HTTP server: routes paths to handlers on a fixed pool of threads, asks for the
 * password on every path when one is set ({@link BasicLogin}), and cuts off a request whose write has
 * been blocked longer than {@link LiveViewConfig#writeTimeout()} (a viewer that stopped reading).
 */
final class LiveHttp implements AutoCloseable {
    /** Threads beside the viewers' for the page, /api/streams, single pictures and 503s. */
    private static final int PAGE_THREADS = 4;
    /** An idle pool thread ends after this long, so the thread count goes back down when viewers leave. */
    private static final long THREAD_KEEP_ALIVE_SECONDS = 5;

    /**
     * One request being answered, as the write-timeout watchdog sees it: {@code busySinceNanos} is when
     * the current write began (0: not writing). The watchdog interrupts a request's thread only while
     * it is {@code active}, so it never hits the next request that thread serves.
     */
    static final class Request {
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
    interface Handler {
        void handle(HttpExchange exchange, Request request) throws IOException;
    }

    private final Set<Request> requests = ConcurrentHashMap.newKeySet();
    private final LiveViewConfig config;
    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService watchdog;

    LiveHttp(LiveViewConfig config) throws IOException {
        this.config = config;
        this.server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 64);
        int threads = config.maxViewers() + PAGE_THREADS;
        this.pool = new ThreadPoolExecutor(threads, threads, THREAD_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("segstream-live-view"));
        this.pool.allowCoreThreadTimeOut(true);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("segstream-live-watchdog"));
        server.setExecutor(pool);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    void route(String path, Handler handler) {
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
            context.setAuthenticator(new BasicLogin(config.user(), config.password()));
        }
    }

    /** Starts serving, and watching for writes blocked past the timeout. */
    void start() {
        long checkEvery = Math.max(50, Math.min(500, config.writeTimeout().toMillis() / 4));
        watchdog.scheduleWithFixedDelay(this::interruptSlowWriters, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
        server.start();
    }

    private void interruptSlowWriters() {
        long now = System.nanoTime();
        long timeout = config.writeTimeout().toNanos();
        for (Request request : requests) {
            request.interruptIfSlow(now, timeout);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The stream named by the path after {@code prefix}, without {@code suffix}; null when the name is not valid percent-encoding. */
    static String streamName(HttpExchange exchange, String prefix, String suffix) {
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

    static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        send(exchange, status, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        watchdog.shutdownNow();
        pool.shutdownNow();
    }
}
