package org.segstream.bench.jmh;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.segstream.contract.BgrImage;
import org.segstream.contract.JpegCodec;
import org.segstream.segmenter.ModelInputBuffer;

/**
 * Preprocessing: what the segmenter does to a frame before {@code session.run}. The graph does its own
 * normalisation (uint8 BGR NHWC in), so this is the JPEG decode plus packing the batch into the direct
 * input buffer. {@code packBatch} alone shows what the copy costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Djava.awt.headless=true")
@State(Scope.Thread)
public class ModelInputBenchmark {
    @Param({"1", "4"})
    public int batch;

    private final ModelInputBuffer input = new ModelInputBuffer();
    private List<BgrImage> frames;

    @Setup
    public void frames(FrameFixture fixture) {
        frames = Collections.nCopies(batch, fixture.frame);
    }

    /** A batch's worth of frames from JPEG to the model's input buffer. */
    @Benchmark
    public ByteBuffer decodeAndPack(FrameFixture fixture) {
        BgrImage[] decoded = new BgrImage[batch];
        for (int i = 0; i < batch; i++) {
            decoded[i] = JpegCodec.decode(fixture.jpeg, Long.MAX_VALUE);
        }
        return input.pack(List.of(decoded));
    }

    /** The copy of already decoded frames into the direct buffer. */
    @Benchmark
    public ByteBuffer packBatch() {
        return input.pack(frames);
    }
}
