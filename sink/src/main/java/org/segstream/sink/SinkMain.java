package org.segstream.sink;

import java.util.Map;
import org.segstream.service.KafkaClientProperties;
import org.segstream.service.MetricsServer;
import org.segstream.service.ServiceLifecycle;
import org.segstream.service.ServiceMain;

/**
 * The sink as a process of its own against an external cluster (masks and frames to overlay video and mask files,
 * the live page), configured by environment variables (KAFKA_BOOTSTRAP_SERVERS, SEGSTREAM_OUT_DIR, ...; README.md
 * lists them). It runs until SIGTERM/SIGINT (finishes the open files, exits 143/130) or until its health fails
 * (/-/healthy 503, exit 1). {@code segstream sink} runs the same {@link #run}.
 */
public final class SinkMain {
    private SinkMain() {
    }

    public static void main(String[] args) {
        ServiceMain.exit("sink", () -> {
            Map<String, String> env = System.getenv();
            return run(SinkConfig.fromEnv(env, KafkaClientProperties.from(env)), MetricsServer.Endpoint.fromEnv(env));
        });
    }

    /** Runs the sink, its metrics and health on {@code metrics}, until a signal or failed health; returns the exit code. */
    public static int run(SinkConfig config, MetricsServer.Endpoint metrics) throws Exception {
        try (var lifecycle = ServiceLifecycle.install("stopping the sink; finishing the open files", null);
             MetricsServer server = MetricsServer.start(metrics);
             LiveView live = config.live().port() < 0 ? null : LiveView.start(config.live(), config.limits());
             SinkApp app = SinkApp.start(config, live == null ? SinkListener.NONE : live, server.registry())) {
            MetricsServer.HealthCheck health = () -> app.healthy() ? null
                    : "sink stopped" + (app.failure() == null ? "" : ": " + app.failure());
            server.addHealthCheck(health);
            return lifecycle.awaitStop("the sink", health);
        }
    }
}
