package org.segstream.launcher;

import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.config.KafkaConnection;
import org.segstream.segmenter.SegmenterMain;
import picocli.CommandLine.Command;

/** {@code segstream segmenter}: {@link SegmenterMain}, with a relative model path also looked up under the segstream folder. */
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
        return SegmenterMain.run(config, settings);
    }
}
