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

    /** Measures another model: batch 1 over at most 24 frames, after a warm-up. */
    static ModelCompute measure(Path descriptorFile, Device device, List<BgrImage> frames) throws Exception {
        ModelDescriptor descriptor = ModelDescriptor.read(descriptorFile);
        int n = Math.min(24, frames.size());
        try (var model = SegmentationModel.load(descriptor, device, Runtime.getRuntime().availableProcessors())) {
            var result = BareModelThroughput.measure(model, Runtime.getRuntime().availableProcessors(), frames.subList(0, n), 1, null);
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
