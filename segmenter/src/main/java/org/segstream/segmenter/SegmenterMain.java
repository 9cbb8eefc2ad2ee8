package org.segstream.segmenter;

import java.util.concurrent.atomic.AtomicReference;
import org.segstream.config.KafkaConnection;
import org.segstream.config.Settings;
import org.segstream.service.MetricsServer;
import org.segstream.service.ServiceLifecycle;
import org.segstream.service.ServiceMain;

/**
 * The segmenter as a process of its own against an external cluster, configured by environment variables
 * (KAFKA_BOOTSTRAP_SERVERS, SEGSTREAM_MODEL, ...; README.md lists them). It runs until SIGTERM/SIGINT (drains,
 * exits 143/130) or until its health fails (/-/healthy 503, exit 1). {@code segstream segmenter} runs the same
 * {@link #run}.
 */
public final class SegmenterMain {
    private SegmenterMain() {
    }

    public static void main(String[] args) {
        ServiceMain.exit("segmenter", () -> {
            Settings settings = Settings.fromSystem();
            return run(SegmenterConfig.from(settings, KafkaConnection.from(settings)), settings);
        });
    }

    /**
     * Runs the segmenter, its metrics and health where {@code settings} say (SEGSTREAM_METRICS_PORT/_BIND), until a
     * signal or failed health; returns the exit code.
     */
    public static int run(SegmenterConfig config, Settings settings) throws Exception {
        try (var lifecycle = ServiceLifecycle.install("stopping the segmenter", null);
             MetricsServer server = MetricsServer.forService(settings)) {
            // Not healthy until the streams run: a supervisor must not take a starting segmenter for a working one.
            var started = new AtomicReference<SegmenterApp>();
            MetricsServer.HealthCheck health = () -> started.get() == null ? "segmenter starting"
                    : started.get().healthy() ? null : "segmenter stopped: "
                    + (started.get().failure() != null ? started.get().failure() : started.get().state());
            server.addHealthCheck(health);
            try (SegmenterApp app = SegmenterApp.start(config, server.registry())) {
                started.set(app);
                return lifecycle.awaitStop("the segmenter", health);
            }
        }
    }
}
