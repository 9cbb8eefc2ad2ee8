package org.segstream.bench;

import java.nio.file.Path;
import java.util.List;
import org.segstream.launcher.RunOptions;

/**
 * The options of {@code segstream bench} ({@link BenchCommand} reads them): those of {@code run} (model,
 * batch size, device, partitions, out) plus the benchmark's own.
 *
 * @param mainSeconds     length of the clip of the headline run (one stream, as fast as possible)
 * @param lightSeconds    length of the clip of the light-load rows (the latency target)
 * @param lightFps        the light load's frame rate (0: half the bare model's batch-1 fps)
 * @param scalingSeconds  clip length per stream in each scaling row (short: there are many rows)
 * @param scaling         whether to run the scaling rows at all
 * @param computeModels   more model descriptors for the model compute table (e.g. a pad-100 export)
 */
record BenchOptions(RunOptions run, double mainSeconds, double lightSeconds, double lightFps, double scalingSeconds, boolean scaling, List<Path> computeModels) {

    /** The rendered clip: long enough for the headline run and the light-load rows. */
    double clipSeconds() {
        return Math.max(mainSeconds, Math.max(lightSeconds, scalingSeconds));
    }
}
