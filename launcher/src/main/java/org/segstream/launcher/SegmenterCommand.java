package org.segstream.launcher;

import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.segstream.segmenter.SegmenterApp;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.config.KafkaConnection;
import picocli.CommandLine.Command;

/** {@code segstream segmenter}: the segmenter alone against an external cluster, configured by the environment. */
@Command(name = "segmenter", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, sortOptions = false,
        header = "the segmenter alone against an external cluster (environment variables)",
        description = {"The segmenter alone against an external cluster (Kafka Streams + ONNX Runtime: frames to masks),",
                "configured by environment variables: KAFKA_BOOTSTRAP_SERVERS (required), SEGSTREAM_MODEL, SEGSTREAM_DEVICE,",
                "SEGSTREAM_BATCH_SIZE, SEGSTREAM_METRICS_PORT, ... (README.md lists them all)."},
        footer = {"", "Runs until SIGTERM/SIGINT (drains, exits 143/130) or until its health fails (/-/healthy 503, exit 1)."})
final class SegmenterCommand implements Callable<Integer> {
    private final CliContext context;

    SegmenterCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        var settings = context.settings();
        SegmenterConfig config = SegmenterConfig.from(settings, KafkaConnection.from(settings));
        if (!config.model().isAbsolute() && !Files.exists(config.model())) {
            config = config.withModel(context.home().resolve(config.model()));
        }
        try (var lifecycle = ServiceLifecycle.install("stopping the segmenter", null);
             MetricsServer metrics = MetricsServer.forService(settings)) {
            // Not healthy until the streams run: a supervisor must not take a starting segmenter for a working one.
            var started = new AtomicReference<SegmenterApp>();
            MetricsServer.HealthCheck health = () -> started.get() == null ? "segmenter starting"
                    : started.get().healthy() ? null : "segmenter stopped: "
                    + (started.get().failure() != null ? started.get().failure() : started.get().state());
            metrics.addHealthCheck(health);
            try (SegmenterApp app = SegmenterApp.start(config, metrics.registry())) {
                started.set(app);
                return lifecycle.awaitStop("the segmenter", health);
            }
        }
    }
}
