package org.segstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.segmenter.ModelInputBuffer;
import org.segstream.segmenter.model.SegmentationModel;

/**
 * The bare ONNX Runtime session on decoded frames, batch after batch with nothing else running: the
 * ceiling the pipeline is measured against. One run at a time on all the session's threads, or several
 * runs at once (each on its own thread, as the segmenter runs them on the CPU). Packs its input with the
 * segmenter's own buffer class.
 */
final class BareModelThroughput {

    /**
     * fps at one batch size, the wall time of one batch, the process CPU per frame (all threads), and how the session
     * ran: {@code runs} batches at once, each on {@code threadsPerRun} ONNX Runtime threads.
     */
    record Result(int batch, int frames, double fps, double batchMillis, double cpuMillisPerFrame, int runs, int threadsPerRun) {
    }

    private BareModelThroughput() {
    }

    /**
     * One run at a time on the session's {@code threads}: {@code frames} (as many whole batches as fit) after one warm-up
     * batch; masks go to {@code masks} if not null.
     */
    static Result measure(SegmentationModel model, int threads, List<BgrImage> frames, int batch, List<ClassMap> masks) throws Exception {
        return measure(model, threads, 1, frames, batch, masks);
    }

    /** As {@link #measure(SegmentationModel, int, List, int, List)} with {@code runs} batches at once, the batches shared out. */
    static Result measure(SegmentationModel model, int threadsPerRun, int runs, List<BgrImage> frames, int batch, List<ClassMap> masks)
            throws Exception {
        int width = frames.get(0).width();
        int height = frames.get(0).height();
        model.warmUp(batch, width, height);
        int batches = Math.max(runs, frames.size() / batch / runs * runs);
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            CpuSampler.Snapshot cpuBefore = CpuSampler.take();
            long start = System.nanoTime();
            List<Future<List<ClassMap>>> work = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                int first = r * (batches / runs);
                work.add(pool.submit(() -> runBatches(model, frames, batch, first, batches / runs)));
            }
            for (Future<List<ClassMap>> w : work) {
                List<ClassMap> out = w.get();
                if (masks != null) {
                    masks.addAll(out);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMillis = CpuSampler.take().millisSince(cpuBefore).entrySet().stream()
                    .filter(e -> !e.getKey().startsWith("broker ")).mapToDouble(java.util.Map.Entry::getValue).sum();
            int n = batches * batch;
            return new Result(batch, n, n / seconds, seconds * 1000 / (batches / runs), cpuMillis / n, runs, threadsPerRun);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code count} batches from batch number {@code first} on, the frames taken in turn; their masks in order. */
    private static List<ClassMap> runBatches(SegmentationModel model, List<BgrImage> frames, int batch, int first, int count) throws Exception {
        int width = frames.get(0).width();
        int height = frames.get(0).height();
        var input = new ModelInputBuffer();
        List<ClassMap> masks = new ArrayList<>();
        for (int b = first; b < first + count; b++) {
            List<BgrImage> images = new ArrayList<>(batch);
            for (int k = 0; k < batch; k++) {
                images.add(frames.get((b * batch + k) % frames.size()));
            }
            masks.addAll(List.of(model.segment(input.pack(images), batch, height, width)));
        }
        return masks;
    }
}
