package org.segstream.bench;

import java.util.ArrayList;
import java.util.List;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.segmenter.ModelInputBuffer;
import org.segstream.segmenter.model.SegmentationModel;

/**
 * The bare ONNX Runtime session on decoded frames, batch after batch with nothing else running: the
 * ceiling the pipeline is measured against. Packs its input with the segmenter's own buffer class.
 */
final class BareModelThroughput {

    /** fps at one batch size, the wall time of one batch, and the process CPU per frame (all threads). */
    record Result(int batch, int frames, double fps, double batchMillis, double cpuMillisPerFrame) {
    }

    private BareModelThroughput() {
    }

    /** Runs {@code frames} (as many whole batches as fit) after one warm-up batch; masks go to {@code masks} if not null. */
    static Result measure(SegmentationModel model, List<BgrImage> frames, int batch, List<ClassMap> masks) throws Exception {
        int width = frames.get(0).width();
        int height = frames.get(0).height();
        model.warmUp(batch, width, height);
        var input = new ModelInputBuffer();
        int batches = Math.max(1, frames.size() / batch);
        CpuSampler.Snapshot cpuBefore = CpuSampler.take();
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            List<BgrImage> images = new ArrayList<>(batch);
            for (int k = 0; k < batch; k++) {
                images.add(frames.get((b * batch + k) % frames.size()));
            }
            ClassMap[] out = model.segment(input.pack(images), batch, height, width);
            if (masks != null) {
                masks.addAll(List.of(out));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMillis = CpuSampler.take().millisSince(cpuBefore).entrySet().stream()
                .filter(e -> !e.getKey().equals("broker process")).mapToDouble(java.util.Map.Entry::getValue).sum();
        int n = batches * batch;
        return new Result(batch, n, n / seconds, seconds * 1000 / batches, cpuMillis / n);
    }
}
