package org.segstream.launcher;

import java.util.concurrent.Callable;
import org.segstream.sink.SinkConfig;
import org.segstream.config.KafkaConnection;
import org.segstream.sink.SinkMain;
import picocli.CommandLine.Command;

/** {@code segstream sink}: {@link SinkMain} under the command line's help and errors. */
@Command(name = "sink", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, sortOptions = false,
        header = "the sink alone against an external cluster (environment variables)",
        description = {"The sink alone against an external cluster (masks and frames to overlay video and mask files,",
                "the live page), configured by environment variables: KAFKA_BOOTSTRAP_SERVERS (required), SEGSTREAM_OUT_DIR,",
                "SEGSTREAM_WRITE_MASKS, SEGSTREAM_LIVE_PORT, SEGSTREAM_METRICS_PORT, ... (README.md lists them all)."},
        footer = {"", "Runs until SIGTERM/SIGINT (finishes the open files, exits 143/130) or until its health fails"
                + " (/-/healthy 503, exit 1)."})
final class SinkCommand implements Callable<Integer> {
    private final CliContext context;

    SinkCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        var settings = context.settings();
        return SinkMain.run(SinkConfig.from(settings, KafkaConnection.from(settings)), settings);
    }
}
