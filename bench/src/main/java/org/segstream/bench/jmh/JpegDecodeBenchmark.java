package org.segstream.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FfmpegJpeg;
import org.segstream.contract.ImageIoJpeg;
import org.segstream.contract.JpegCodec;

/**
 * The segmenter's (and the sink's) JPEG decode of a frame into packed BGR, by each decoder measured:
 * {@code codec} is what {@link JpegCodec} does (structure check, then the fastest decoder that loads).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Djava.awt.headless=true")
public class JpegDecodeBenchmark {

    @Benchmark
    public BgrImage codec(SizedFrame fixture) {
        return JpegCodec.decode(fixture.jpeg, Long.MAX_VALUE);
    }

    @Benchmark
    public BgrImage imageIo(SizedFrame fixture) {
        return ImageIoJpeg.decode(fixture.jpeg, fixture.structure);
    }

    @Benchmark
    public BgrImage ffmpeg(SizedFrame fixture) {
        return FfmpegJpeg.decode(fixture.jpeg, fixture.structure);
    }

}
