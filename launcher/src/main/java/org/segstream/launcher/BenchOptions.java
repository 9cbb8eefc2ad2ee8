package org.segstream.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code segstream bench}: those of {@code run} (model, batch size, device, partitions,
 * out) plus the benchmark's own.
 *
 * @param mainSeconds     length of the clip of the headline run (one stream, as fast as possible)
 * @param lightSeconds    length of the clip of the light-load rows (the latency target)
 * @param lightFps        the light load's frame rate (0: half the bare model's batch-1 fps)
 * @param scalingSeconds  clip length per stream in each scaling row (short: there are many rows)
 * @param scaling         whether to run the scaling rows at all
 * @param computeModels   more model descriptors for the model compute table (e.g. a pad-100 export)
 */
record BenchOptions(RunOptions run, double mainSeconds, double lightSeconds, double lightFps, double scalingSeconds, boolean scaling, List<Path> computeModels) {

    static BenchOptions parse(List<String> args, Path home) {
        double mainSeconds = 8;
        double lightSeconds = 20;
        double lightFps = 0;
        double scalingSeconds = 2;
        boolean scaling = true;
        List<Path> computeModels = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--main-seconds" -> mainSeconds = CliValues.doubleValue(args, ++i, arg, 1, 600);
                case "--light-fps" -> lightFps = CliValues.doubleValue(args, ++i, arg, 0.1, 1000);
                case "--light-seconds" -> lightSeconds = CliValues.doubleValue(args, ++i, arg, 1, 600);
                case "--scaling-seconds" -> scalingSeconds = CliValues.doubleValue(args, ++i, arg, 0.2, 60);
                case "--no-scaling" -> scaling = false;
                case "--compute-model" -> computeModels.add(Path.of(CliValues.value(args, ++i, arg)));
                default -> rest.add(arg);
            }
        }
        RunOptions run = RunOptions.parse(rest, Path.of("out", "bench"), home);
        if (!run.sources().isEmpty()) {
            throw new SegstreamCli.UsageException("bench takes no sources (it renders its own clip): " + run.sources());
        }
        return new BenchOptions(run, mainSeconds, lightSeconds, lightFps, scalingSeconds, scaling, List.copyOf(computeModels));
    }

    /** The rendered clip: long enough for the headline run and the light-load rows. */
    double clipSeconds() {
        return Math.max(mainSeconds, Math.max(lightSeconds, scalingSeconds));
    }
}
