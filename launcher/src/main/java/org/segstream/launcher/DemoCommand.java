package org.segstream.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.segstream.scenes.street.SynthClip;
import org.segstream.verify.DemoScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code segstream demo}: {@code run} on a generated street scene (with masks, legend and caption), then
 * the mean IoU of the masks that came out of the sink against the scene's ground truth.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, sortOptions = false,
        header = "the whole pipeline on a short generated video, output in out/demo, scored",
        description = {"The whole pipeline on 10 s of a generated street scene (seed 2024), output in out/demo,",
                "scored against the scene's ground truth. Takes run's options; more SOURCEs run next to the scene."})
final class DemoCommand implements Callable<Integer> {
    static final long DEMO_SEED = 2024;
    private final CliContext context;

    @Mixin
    PipelineOptions options = new PipelineOptions();

    @Parameters(paramLabel = "SOURCE", arity = "0..*", description = "more sources, as for run")
    List<String> sources = new ArrayList<>();

    DemoCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        RunOptions run = options.resolve(sources, Path.of("out", "demo"), context.home());
        return RunCommand.runPipeline(context, run, Scene.make(run.outDir()));
    }

    /** The demo's input: a generated street scene with its ground truth. */
    record Scene(SynthClip.Summary clip) {
        /** 10 s of a generated street scene (seed 2024, never used in training), in {@code outDir}/source. */
        static Scene make(Path outDir) throws Exception {
            Path dir = outDir.resolve("source");
            System.err.println("segstream: generating the demo scene in " + dir);
            return new Scene(SynthClip.write(dir, DEMO_SEED, 10, 640, 360, 25));
        }

        /** Scores this run's demo session (out/demo keeps earlier demos' sessions too). */
        void score(RunSummary summary, RunOptions options, PrintStream out) throws Exception {
            String output = summary.streams().stream().filter(r -> r.stream().equals("demo"))
                    .flatMap(r -> r.sessions().stream()).map(RunSummary.Session::output).filter(Objects::nonNull)
                    .reduce((first, last) -> last).orElseThrow(() -> new IllegalStateException("the demo wrote no masks"));
            DemoScore.measure(clip.video(), clip.groundTruth(), options.outDir().resolve(output).resolve("masks"),
                    options.model(), options.device()).print(out);
        }
    }
}
