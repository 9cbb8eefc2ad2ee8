package org.segstream.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.segstream.contract.ImageIoJpeg;
import org.segstream.contract.JpegCodec;

/** Ingest's JPEG encode of a frame at quality 90, by each encoder measured. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Djava.awt.headless=true")
public class JpegEncodeBenchmark {

    @Benchmark
    public byte[] codec(SizedFrame fixture) {
        return JpegCodec.encode(fixture.frame, 90);
    }

    @Benchmark
    public byte[] imageIo(SizedFrame fixture) {
        return ImageIoJpeg.encode(fixture.frame, 90);
    }

}
