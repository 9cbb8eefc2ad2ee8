package org.segstream.launcher;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.VocClasses;
import org.segstream.scenes.street.SynthClip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segstream synth}: a labelled street scene, DIR/video.mp4 and DIR/gt/<seq>.png. */
@Command(name = "synth", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, sortOptions = false,
        header = "a labelled street scene: DIR/video.mp4 and DIR/gt/<seq>.png",
        description = {"A labelled street scene: DIR/video.mp4 (H.264) and DIR/gt/<seq, 6 digits>.png",
                "(VOC palette PNGs of class indices, one per frame). Deterministic per seed."})
final class SynthCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write (required)")
    Path dir;

    @Option(names = "--seed", paramLabel = "S", description = "the scene's seed (default 1)")
    long seed = 1;

    @Option(names = "--seconds", paramLabel = "T", description = "length, 0.04..36000 (default 10)")
    double seconds = 10;

    @Option(names = "--size", paramLabel = "WxH", converter = CliValues.SizeConverter.class,
            description = "frame size, 1x1.." + FrameIdentity.MAX_UHD_WIDTH + "x" + FrameIdentity.MAX_UHD_HEIGHT + " (default 640x360)")
    CliValues.Size size = new CliValues.Size(640, 360);

    @Option(names = "--fps", paramLabel = "F", description = "frame rate, 1..240 (default 25)")
    double fps = 25;

    SynthCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        CliValues.inRange("--seconds", seconds, 0.04, 36_000);
        CliValues.inRange("--fps", fps, 1, 240);
        if (dir == null) {
            throw new SegstreamCli.UsageException("synth needs --out DIR");
        }
        int width = size.width();
        int height = size.height();
        var summary = SynthClip.write(dir, seed, seconds, width, height, fps);
        var out = context.out();
        out.printf("%d frames of %dx%d at %.2f fps: %s and %s%n", summary.frames(), width, height, fps,
                summary.video(), summary.groundTruth());
        for (int c = 1; c < VocClasses.NAMES.size(); c++) {
            if (summary.classPixels()[c] > 0) {
                out.printf("  %-10s %6.2f %% of pixels%n", VocClasses.NAMES.get(c), 100 * summary.share(c));
            }
        }
        return 0;
    }
}
