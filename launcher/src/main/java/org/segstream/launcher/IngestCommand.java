package org.segstream.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.ingest.IngestJob;
import org.segstream.ingest.IngestMetrics;
import org.segstream.ingest.IngestResult;
import org.segstream.ingest.Reconnect;
import org.segstream.ingest.SourceSpec;
import org.segstream.ingest.SourcesFile;
import org.segstream.config.KafkaConnection;
import org.segstream.service.MetricsServer;
import org.segstream.service.ServiceLifecycle;
import org.segstream.video.FfmpegLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code segstream ingest}: ingest alone against an external cluster, every source at once. */
@Command(name = "ingest", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, sortOptions = false,
        header = "ingest alone against an external cluster (environment variables)",
        description = {"Ingest alone against an external cluster: decodes every source into frames on Kafka, all at once.",
                "Configured by environment variables: KAFKA_BOOTSTRAP_SERVERS (required), SEGSTREAM_SOURCES (comma-separated,",
                "when no SOURCE or --config is given), SEGSTREAM_JPEG_QUALITY, ... (README.md lists them all)."},
        footer = {"", "SOURCE is a path or URL; name=SOURCE names the stream. A camera that is not up yet is retried.",
                "Exit status: 0 when a source was read, 1 when none could be; on SIGTERM/SIGINT every session ends with",
                "its end record, then 143/130."})
final class IngestCommand implements Callable<Integer> {
    /** After SIGTERM, how long the sessions get to send their end records before the process quits anyway. */
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
    private final CliContext context;

    @Option(names = "--config", paramLabel = "FILE", description = "a streams file (.properties: NAME.url, NAME.fps, ...; see README.md)")
    List<Path> configs = new ArrayList<>();

    @Parameters(paramLabel = "SOURCE", arity = "0..*", description = "a file, a folder or a URL; name=SOURCE names the stream")
    List<String> sources = new ArrayList<>();

    IngestCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        List<SourceSpec> specs = specs();
        var settings = context.settings();
        IngestConfig config = IngestConfig.from(settings, KafkaConnection.from(settings));
        FfmpegLog.configure(settings);
        // A service keeps trying a camera that is not up yet; files that cannot be read are still reported at once.
        var reconnect = Reconnect.DEFAULT.withRetryFirstOpen(true);
        // Every source at once, one thread each: live cameras never end, so one after another would starve the rest.
        ExecutorService pool = Executors.newFixedThreadPool(specs.size());
        // Ctrl-C / SIGTERM: every job ends its session (end record sent, producer flushed), then the process exits.
        try (var lifecycle = ServiceLifecycle.install("ending every session with its end record", STOP_DEADLINE);
             MetricsServer metrics = MetricsServer.forService(settings);
             var producer = new FrameProducer(config)) {
            var ingestMetrics = new IngestMetrics(metrics.registry());
            List<Future<IngestResult>> jobs = new ArrayList<>();
            for (SourceSpec source : specs) {
                var job = new IngestJob(source, config, producer, ingestMetrics, reconnect);
                lifecycle.onStop(job::stop);
                jobs.add(pool.submit(job::run));
            }
            boolean anyRead = false;
            for (var job : jobs) {
                anyRead |= job.get().framesSent() > 0;
            }
            return lifecycle.exitCode(anyRead ? 0 : 1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The sources: the streams files' and the arguments', else SEGSTREAM_SOURCES's; no stream named twice. */
    private List<SourceSpec> specs() throws java.io.IOException {
        List<SourceSpec> specs = new ArrayList<>();
        for (Path config : configs) {
            specs.addAll(SourcesFile.load(config, context.settings().asMap()));
        }
        for (String source : sources) {
            specs.add(CliValues.parseSource(source.trim()));
        }
        String fromEnv = context.settings().get(IngestConfig.SOURCES);
        if (specs.isEmpty() && fromEnv != null) {
            for (String argument : fromEnv.split(",")) {
                specs.add(CliValues.parseSource(argument.trim()));
            }
        }
        if (specs.isEmpty()) {
            throw new SegstreamCli.UsageException("ingest needs at least one SOURCE or --config FILE (or SEGSTREAM_SOURCES)");
        }
        CliValues.requireDistinctStreams(specs);
        return specs;
    }
}
