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
 * @param liveRows        whether to run the rows with live cameras (mixed: the headline clip next to two cameras; overload)
 * @param overloadSeconds how long the overload row's cameras run
 * @param liveCapacityFps the capacity the live rows set their camera rates from (0: the bare model's fps at the batch size)
 * @param soak            the soak instead of the tables: live cameras through the pipeline, every process's RSS sampled
 */
record BenchOptions(RunOptions run, double mainSeconds, double lightSeconds, double lightFps, double scalingSeconds, boolean scaling,
                    List<Path> computeModels, boolean liveRows, double overloadSeconds, double liveCapacityFps, SoakOptions soak) {

    /**
     * The soak's settings.
     *
     * @param minutes   how long the cameras run (0: no soak)
     * @param cameras   how many live cameras
     * @param cameraFps each camera's frame rate
     */
    record SoakOptions(double minutes, int cameras, double cameraFps) {
        static final SoakOptions NONE = new SoakOptions(0, 2, 4);
    }

    /** The rendered clip: long enough for the headline run and the light-load rows. */
    double clipSeconds() {
        return Math.max(mainSeconds, Math.max(lightSeconds, scalingSeconds));
    }
}
