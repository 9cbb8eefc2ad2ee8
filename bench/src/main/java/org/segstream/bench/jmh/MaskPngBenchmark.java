package org.segstream.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.segstream.contract.ClassMap;
import org.segstream.contract.MaskPng;

/** The segmenter's palette-PNG encode of a 640x360 class map, and the sink's decode of it. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Djava.awt.headless=true")
public class MaskPngBenchmark {

    @Benchmark
    public byte[] encode(FrameFixture fixture) {
        return MaskPng.encode(fixture.mask);
    }

    @Benchmark
    public ClassMap decode(FrameFixture fixture) {
        return MaskPng.decode(fixture.png);
    }
}
