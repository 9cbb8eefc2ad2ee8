package org.segstream.launcher;

import java.nio.file.Path;
import java.util.List;
import org.segstream.segmenter.model.Device;
import org.segstream.service.MetricsServer;

/** The options of {@code segstream run} and {@code segstream demo}, checked ({@link PipelineOptions} reads them). */
public record RunOptions(List<String> sources, Path outDir, Path model, int batchSize, int partitions, boolean writeMasks, Device device,
                  int metricsPort, int livePort, boolean annotate) {

    /** Where `run` serves /metrics by default (loopback only). */
    static final int DEFAULT_METRICS_PORT = MetricsServer.DEFAULT_PORT;
    /** Where the sink's live page is served by default. */
    static final int DEFAULT_LIVE_PORT = 8080;
}
