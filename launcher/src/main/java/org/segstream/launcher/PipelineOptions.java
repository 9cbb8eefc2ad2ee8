package org.segstream.launcher;

import java.nio.file.Path;
import java.util.List;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.segmenter.model.Device;
import picocli.CommandLine.Option;

/** The pipeline's options, shared by {@code run}, {@code demo} and {@code bench} (a picocli mixin). */
public final class PipelineOptions {
    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default out/<command>: out/run, out/demo, out/bench)")
    Path outDir;

    @Option(names = "--model", paramLabel = "FILE", description = "model descriptor .json or .onnx (default models/fcn8s-slim.json)")
    Path model;

    @Option(names = "--batch-size", paramLabel = "N", description = "frames per inference call, 1..256 (default 4)")
    int batchSize = SegmenterConfig.DEFAULT_BATCH_SIZE;

    @Option(names = "--device", paramLabel = "auto|cpu|cuda", converter = CliValues.DeviceConverter.class,
            description = "inference device (default auto)")
    Device device = Device.AUTO;

    @Option(names = "--partitions", paramLabel = "N", description = "partitions of the frames and masks topics, 1..1000 (default 4)")
    int partitions = 4;

    @Option(names = "--write-masks", description = "also write DIR/<stream>/<session>/masks/<seq>.png")
    boolean writeMasks;

    @Option(names = "--metrics-port", paramLabel = "N", description = "serve /metrics on 127.0.0.1:N (default 9400; -1: off)")
    int metricsPort = RunOptions.DEFAULT_METRICS_PORT;

    @Option(names = "--live-port", paramLabel = "N", description = "the live page on http://127.0.0.1:N/ (default 8080; -1: off)")
    int livePort = RunOptions.DEFAULT_LIVE_PORT;

    @Option(names = "--annotate", description = "draw a class legend and a caption (fps, latency) on the overlays")
    boolean annotate;

    /** The checked options; {@code defaultOut} where --out is not given, the model in {@code home} where --model is not. */
    public RunOptions resolve(List<String> sources, Path defaultOut, Path home) {
        return new RunOptions(List.copyOf(sources), outDir == null ? defaultOut : outDir,
                model == null ? home.resolve(SegmenterConfig.DEFAULT_MODEL) : model,
                CliValues.inRange("--batch-size", batchSize, 1, 256), CliValues.inRange("--partitions", partitions, 1, 1000),
                writeMasks, device, CliValues.inRange("--metrics-port", metricsPort, -1, 65535),
                CliValues.inRange("--live-port", livePort, -1, 65535), annotate);
    }
}
