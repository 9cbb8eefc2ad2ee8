package org.segstream.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.segstream.contract.BgrImage;
import org.segstream.sink.OverlayRenderer;

/** The sink's blend of a mask's class colours over its 640x360 frame (opacity 0.5, every class shown). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Djava.awt.headless=true")
@State(Scope.Thread)
public class OverlayBlendBenchmark {
    private final OverlayRenderer renderer = new OverlayRenderer(0.5);

    @Benchmark
    public BgrImage blend(FrameFixture fixture) {
        return renderer.render(fixture.frame, fixture.mask);
    }
}
