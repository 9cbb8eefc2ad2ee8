package org.segstream.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.segstream.launcher.CliContext;
import org.segstream.launcher.CliValues;
import org.segstream.launcher.CommandProvider;
import org.segstream.launcher.PipelineOptions;
import org.segstream.launcher.SegstreamCli;
import org.segstream.launcher.VersionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code segstream bench}: reads the benchmark's options, then {@link Bench} measures. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, sortOptions = false,
        header = "bare model vs whole pipeline, latency, scaling and per-stage CPU tables",
        description = {"Bare model vs whole pipeline, latency, scaling tables and the CPU cost of every stage, on a",
                "rendered clip (tables also in out/bench/BENCHMARKS.tables.md). Takes run's options, no SOURCE."})
final class BenchCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    PipelineOptions options = new PipelineOptions();

    @Option(names = "--main-seconds", paramLabel = "T", description = "clip of the headline run, 1..600 (default 8)")
    double mainSeconds = 8;

    @Option(names = "--light-seconds", paramLabel = "T", description = "clip of the light-load rows, 1..600 (default 20)")
    double lightSeconds = 20;

    @Option(names = "--light-fps", paramLabel = "F", description = "the light load's rate, 0.1..1000 (default: half the bare model's batch-1 fps)")
    Double lightFps;

    @Option(names = "--scaling-seconds", paramLabel = "T", description = "clip per stream in each scaling row, 0.2..60 (default 2)")
    double scalingSeconds = 2;

    @Option(names = "--no-scaling", description = "skip the scaling rows")
    boolean noScaling;

    @Option(names = "--compute-model", paramLabel = "M.json", description = "another model for the model compute table (repeatable)")
    List<Path> computeModels = new ArrayList<>();

    /** Only to refuse them with a message of its own: the benchmark renders its own clip. */
    @Parameters(hidden = true, arity = "0..*")
    List<String> sources = new ArrayList<>();

    BenchCommand(CliContext context) {
        this.context = context;
    }

    /** Adds {@code bench} to {@code ./segstream} wherever this jar is on the classpath. */
    public static final class Provider implements CommandProvider {
        @Override
        public Object command(CliContext context) {
            return new BenchCommand(context);
        }
    }

    @Override
    public Integer call() throws Exception {
        return Bench.run(options(), context.out());
    }

    BenchOptions options() {
        if (!sources.isEmpty()) {
            throw new SegstreamCli.UsageException("bench takes no sources (it renders its own clip): " + sources);
        }
        double light = lightFps == null ? 0 : CliValues.inRange("--light-fps", lightFps, 0.1, 1000);
        return new BenchOptions(options.resolve(List.of(), Path.of("out", "bench"), context.home()),
                CliValues.inRange("--main-seconds", mainSeconds, 1, 600), CliValues.inRange("--light-seconds", lightSeconds, 1, 600),
                light, CliValues.inRange("--scaling-seconds", scalingSeconds, 0.2, 60), !noScaling, List.copyOf(computeModels));
    }
}
