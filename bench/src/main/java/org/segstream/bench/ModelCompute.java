package org.segstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.segstream.contract.BgrImage;
import org.segstream.segmenter.model.Device;
import org.segstream.segmenter.model.ModelDescriptor;
import org.segstream.segmenter.model.SegmentationModel;

/**
 * One row of the model compute table: a model's width and geometry and GMAC per 640x360 frame (from
 * its descriptor), and its bare fps at batch 1 measured here.
 */
record ModelCompute(String model, double width, boolean pad100, double gmac, double fps, String measured) {

    /**
     * Rows measured on this machine on 2026-11-22 by the segmenter's ModelBenchmark (tools/model/README.md,
     * "Pad-100 versus no-pad"): the full-width model is 538 MB and not exported by the benchmark.
     */
    static final List<ModelCompute> QUOTED_FULL_WIDTH = List.of(
            new ModelCompute("fcn8s full (random weights)", 1.0, false, 99.76, 0.97,
                    "quoted: tools/model/README.md, 2026-11-22, batch 1, median of 10 frames, shared machine"),
            new ModelCompute("fcn8s full (random weights)", 1.0, true, 174.50, 0.56,
                    "quoted: tools/model/README.md, 2026-11-22, batch 1, median of 10 frames, shared machine"));

    /** Measures another model: batch 1 over at most 24 frames, after a warm-up. */
    static ModelCompute measure(Path descriptorFile, Device device, List<BgrImage> frames) throws Exception {
        ModelDescriptor descriptor = ModelDescriptor.read(descriptorFile);
        int n = Math.min(24, frames.size());
        try (var model = SegmentationModel.load(descriptor, device, Runtime.getRuntime().availableProcessors())) {
            var result = BareModelThroughput.measure(model, frames.subList(0, n), 1, null);
            return of(descriptorFile, result, model.provider());
        }
    }

    /** The row of a model already measured (the bare model's batch-1 result). */
    static ModelCompute of(Path descriptorFile, BareModelThroughput.Result batchOne, String provider) throws java.io.IOException {
        ModelDescriptor descriptor = ModelDescriptor.read(descriptorFile);
        JsonNode json = new ObjectMapper().readTree(descriptor.descriptorFile().toFile());
        return new ModelCompute(descriptor.name(), json.path("width_multiplier").asDouble(Double.NaN),
                json.path("pad100").asBoolean(false), json.path("gmac_640x360").asDouble(Double.NaN), batchOne.fps(),
                "measured in this run, batch 1, " + batchOne.frames() + " frames on " + provider);
    }
}
