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
        header = "bare model vs whole pipeline, latency, live cameras, scaling and per-stage CPU tables; an RSS soak",
        description = {"Bare model vs whole pipeline, latency, live cameras (mixed with a file, overload), scaling tables",
                "and the CPU cost of every stage, on a rendered clip (tables also in out/bench/BENCHMARKS.tables.md).",
                "With --soak: live cameras through the pipeline for MINUTES and every process's RSS (out/bench/soak/SOAK.md).",
                "Takes run's options, no SOURCE. Live cameras need Debian's ffmpeg."})
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

    @Option(names = "--no-live-rows", description = "skip the rows with live cameras (mixed, overload)")
    boolean noLiveRows;

    @Option(names = "--overload-seconds", paramLabel = "T", description = "how long the overload row's cameras run, 5..600 (default 30)")
    double overloadSeconds = 30;

    @Option(names = "--live-capacity", paramLabel = "F", description = "the fps the live rows' camera rates are set from, "
            + "0.1..10000 (default: the bare model's fps at the batch size, measured in the same run)")
    Double liveCapacity;

    @Option(names = "--soak", paramLabel = "MINUTES", description = "instead of the tables: live cameras through the pipeline for MINUTES (0.5..1440), "
            + "every process's RSS sampled; prints the samples and each one's slope in MiB/hour")
    Double soakMinutes;

    @Option(names = "--soak-cameras", paramLabel = "N", description = "live cameras in the soak, 1..16 (default 2)")
    int soakCameras = BenchOptions.SoakOptions.NONE.cameras();

    @Option(names = "--soak-fps", paramLabel = "F", description = "each soak camera's rate, 0.5..60 (default 4)")
    double soakFps = BenchOptions.SoakOptions.NONE.cameraFps();

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
        BenchOptions options = options();
        return options.soak().minutes() > 0 ? RssSoak.run(options, context.out()) : Bench.run(options, context.out());
    }

    BenchOptions options() {
        if (!sources.isEmpty()) {
            throw new SegstreamCli.UsageException("bench takes no sources (it renders its own clip): " + sources);
        }
        double light = lightFps == null ? 0 : CliValues.inRange("--light-fps", lightFps, 0.1, 1000);
        return new BenchOptions(options.resolve(List.of(), Path.of("out", "bench"), context.home()),
                CliValues.inRange("--main-seconds", mainSeconds, 1, 600), CliValues.inRange("--light-seconds", lightSeconds, 1, 600),
                light, CliValues.inRange("--scaling-seconds", scalingSeconds, 0.2, 60), !noScaling, List.copyOf(computeModels),
                !noLiveRows, CliValues.inRange("--overload-seconds", overloadSeconds, 5, 600),
                liveCapacity == null ? 0 : CliValues.inRange("--live-capacity", liveCapacity, 0.1, 10000), soak());
    }

    private BenchOptions.SoakOptions soak() {
        if (soakMinutes == null) {
            return BenchOptions.SoakOptions.NONE;
        }
        return new BenchOptions.SoakOptions(CliValues.inRange("--soak", soakMinutes, 0.5, 1440),
                CliValues.inRange("--soak-cameras", soakCameras, 1, 16), CliValues.inRange("--soak-fps", soakFps, 0.5, 60));
    }
}
