package org.segstream.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.segstream.video.FfmpegLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code segstream run}: checks the sources and options, then {@link PipelineRun} does the work. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, sortOptions = false,
        header = "the whole pipeline (embedded Kafka broker) on files or URLs",
        description = "The whole pipeline (embedded Kafka broker, ingest, segmenter, sink) on files or URLs.",
        footer = {"", "SOURCE is a path or URL; name=SOURCE names the stream (default: the file's base name).",
                "Exit status: 0; 1 when no source could be read; 130/143 when stopped by SIGINT/SIGTERM"
                        + " (after finishing the overlays and the summary); 2 for a usage error."})
final class RunCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    PipelineOptions options = new PipelineOptions();

    @Parameters(paramLabel = "SOURCE", arity = "0..*", description = "a file, a folder or a URL (rtsp://, rtmp://, http(s)://, HLS)")
    List<String> sources = new ArrayList<>();

    RunCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        return runPipeline(context, options.resolve(sources, Path.of("out", "run"), context.home()), null);
    }

    /** Runs the pipeline on the sources of {@code options} (and the {@code demo} scene, when there is one). */
    static int runPipeline(CliContext context, RunOptions options, DemoCommand.Scene demo) throws Exception {
        List<String> sources = new ArrayList<>(options.sources());
        if (demo != null) {
            sources.add("demo=" + demo.clip().video());
        }
        if (sources.isEmpty()) {
            throw new SegstreamCli.UsageException("run needs at least one SOURCE");
        }
        CliValues.requireDistinctStreams(sources.stream().map(CliValues::parseOrNull).filter(Objects::nonNull).toList());
        if (Files.exists(options.outDir()) && !Files.isDirectory(options.outDir())) {
            throw new SegstreamCli.UsageException("--out " + options.outDir() + " is a file; name a folder (it is created if missing)");
        }
        FfmpegLog.configure(context.settings());
        boolean isDemo = demo != null;
        var outcome = PipelineRun.run(new PipelineRun.Options(sources, options.outDir(), options.model(), options.batchSize(),
                options.writeMasks() || isDemo, options.partitions(), options.device(), options.metricsPort(), options.livePort(),
                options.annotate() || isDemo, context.settings()), context.out());
        if (!outcome.anySourceRead() && outcome.stoppedBy() == null) {
            System.err.println("segstream: no source could be read");
            return 1;
        }
        if (outcome.stoppedBy() != null) { // finished cleanly, but on request: the shell's convention for a signal
            return 128 + new sun.misc.Signal(outcome.stoppedBy()).getNumber();
        }
        if (demo != null) {
            demo.score(outcome.summary(), options, context.out());
        }
        return 0;
    }
}
