package org.segstream.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.segstream.config.Setting;
import org.segstream.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one metrics endpoint of a segstream process: {@code /metrics} (Prometheus text or OpenMetrics)
 * and the health path {@code /-/healthy}, for every service running in the process, plus JVM metrics.
 * Health is the services' own: 200 while every registered {@link HealthCheck} is fine, 503 with the
 * reason once one is not (a dead stream thread, a sink loop that stopped).
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    /** Where a process serves its metrics when nothing else is said (loopback only). */
    public static final int DEFAULT_PORT = 9400;

    public static final Setting<Integer> PORT = Setting.port("SEGSTREAM_METRICS_PORT", DEFAULT_PORT);
    public static final Setting<String> BIND = Setting.text("SEGSTREAM_METRICS_BIND", "127.0.0.1");
    public static final List<Setting<?>> SETTINGS = List.of(PORT, BIND);

    /** One service's health: null while healthy, else one line saying what is wrong. */
    @FunctionalInterface
    public interface HealthCheck {
        String problem();
    }

    private final PrometheusRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();

    private MetricsServer(PrometheusRegistry registry, HttpServer server, ExecutorService executor) {
        this.registry = registry;
        this.server = server;
        this.executor = executor;
    }

    /** A standalone service's endpoint: SEGSTREAM_METRICS_PORT (default 9400, -1 off) on SEGSTREAM_METRICS_BIND (default 127.0.0.1). */
    public static MetricsServer forService(Settings settings) throws IOException {
        return start(settings.get(BIND), settings.get(PORT));
    }

    /** Serves a new registry on {@code bind}:{@code port} (port 0 picks a free one; a negative port serves nothing). */
    public static MetricsServer start(String bind, int port) throws IOException {
        var registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        if (port < 0) {
            return new MetricsServer(registry, null, null);
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(bind, port), 16);
        // Two threads: a scrape and a health probe at once; a slow client cannot make the process start threads.
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "segstream-metrics");
            t.setDaemon(true);
            return t;
        });
        var server = new MetricsServer(registry, http, executor);
        http.createContext("/metrics", new MetricsHandler(registry));
        http.createContext("/-/healthy", server::health);
        http.setExecutor(executor);
        http.start();
        log.info("metrics on http://{}:{}/metrics (health: /-/healthy)", bind, http.getAddress().getPort());
        return server;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Adds a service's health to {@code /-/healthy}. */
    public void addHealthCheck(HealthCheck check) {
        checks.add(check);
    }

    /** The first problem any registered service reports, or null while all are healthy. */
    public String problem() {
        for (HealthCheck check : checks) {
            String problem = check.problem();
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** The port served, or -1 when metrics are not served. */
    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    private void health(HttpExchange exchange) throws IOException {
        String problem = problem();
        byte[] body = (problem == null ? "Exporter is healthy.\n" : "unhealthy: " + problem + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(problem == null ? 200 : 503, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
