package org.segstream.sink;

import org.segstream.config.KafkaConnection;
import org.segstream.config.Settings;
import org.segstream.service.MetricsServer;
import org.segstream.service.ServiceLifecycle;
import org.segstream.service.ServiceMain;
import org.segstream.video.FfmpegLog;

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
            Settings settings = Settings.fromSystem();
            return run(SinkConfig.from(settings, KafkaConnection.from(settings)), settings);
        });
    }

    /**
     * Runs the sink, FFmpeg's log level, its metrics and health where {@code settings} say (SEGSTREAM_FFMPEG_LOG,
     * SEGSTREAM_METRICS_PORT/_BIND), until a signal or failed health; returns the exit code.
     */
    public static int run(SinkConfig config, Settings settings) throws Exception {
        FfmpegLog.configure(settings);
        try (var lifecycle = ServiceLifecycle.install("stopping the sink; finishing the open files", null);
             MetricsServer server = MetricsServer.forService(settings);
             LiveView live = config.live().port() < 0 ? null : LiveView.start(config.live(), config.limits());
             SinkApp app = SinkApp.start(config, live == null ? SinkListener.NONE : live, server.registry())) {
            MetricsServer.HealthCheck health = () -> app.healthy() ? null
                    : "sink stopped" + (app.failure() == null ? "" : ": " + app.failure());
            server.addHealthCheck(health);
            return lifecycle.awaitStop("the sink", health);
        }
    }
}
