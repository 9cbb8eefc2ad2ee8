package org.segstream.launcher;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one metrics endpoint of a segstream process: {@code /metrics} (Prometheus text or OpenMetrics)
 * and the health path {@code /-/healthy}, for every service running in the process, plus JVM metrics.
 */
final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    private final PrometheusRegistry registry;
    private final HTTPServer server;

    private MetricsServer(PrometheusRegistry registry, HTTPServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** Serves a new registry on {@code bind}:{@code port} (port 0 picks a free one; a negative port serves nothing). */
    static MetricsServer start(String bind, int port) throws IOException {
        var registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        if (port < 0) {
            return new MetricsServer(registry, null);
        }
        HTTPServer server = HTTPServer.builder().hostname(bind).port(port).registry(registry).buildAndStart();
        log.info("metrics on http://{}:{}/metrics (health: /-/healthy)", bind, server.getPort());
        return new MetricsServer(registry, server);
    }

    PrometheusRegistry registry() {
        return registry;
    }

    /** The port served, or -1 when metrics are not served. */
    int port() {
        return server == null ? -1 : server.getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
