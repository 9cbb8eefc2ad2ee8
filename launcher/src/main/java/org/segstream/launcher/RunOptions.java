package org.segstream.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.segmenter.model.Device;

/** The options of {@code segstream run} and {@code segstream demo}. */
record RunOptions(List<String> sources, Path outDir, Path model, int batchSize, int partitions, boolean writeMasks, Device device,
                  int metricsPort, int livePort, boolean annotate) {

    /** Where `run` serves /metrics by default (loopback only). */
    static final int DEFAULT_METRICS_PORT = 9400;
    /** Where the sink's live page is served by default. */
    static final int DEFAULT_LIVE_PORT = 8080;

    static RunOptions parse(List<String> args, Path defaultOut, Path home) {
        Path outDir = defaultOut;
        Path model = home.resolve(SegmenterConfig.DEFAULT_MODEL);
        int batchSize = SegmenterConfig.DEFAULT_BATCH_SIZE;
        int partitions = 4;
        boolean writeMasks = false;
        Device device = Device.AUTO;
        int metricsPort = DEFAULT_METRICS_PORT;
        int livePort = DEFAULT_LIVE_PORT;
        boolean annotate = false;
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--out" -> outDir = Path.of(CliValues.value(args, ++i, arg));
                case "--model" -> model = Path.of(CliValues.value(args, ++i, arg));
                case "--batch-size" -> batchSize = CliValues.intValue(args, ++i, arg, 1, 256);
                case "--partitions" -> partitions = CliValues.intValue(args, ++i, arg, 1, 1000);
                case "--device" -> device = Device.parse(CliValues.value(args, ++i, arg));
                case "--write-masks" -> writeMasks = true;
                case "--metrics-port" -> metricsPort = CliValues.intValue(args, ++i, arg, -1, 65535);
                case "--live-port" -> livePort = CliValues.intValue(args, ++i, arg, -1, 65535);
                case "--annotate" -> annotate = true;
                default -> {
                    if (arg.startsWith("--")) {
                        throw new SegstreamCli.UsageException("unknown option " + arg);
                    }
                    sources.add(arg);
                }
            }
        }
        return new RunOptions(List.copyOf(sources), outDir, model, batchSize, partitions, writeMasks, device, metricsPort, livePort, annotate);
    }
}
