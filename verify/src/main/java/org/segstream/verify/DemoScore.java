package org.segstream.verify;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.MaskPng;
import org.segstream.contract.VocClasses;
import org.segstream.ingest.DecodedFrame;
import org.segstream.ingest.SourceSpec;
import org.segstream.ingest.VideoDecoder;
import org.segstream.scenes.MaskScore;
import org.segstream.scenes.street.SynthClip;
import org.segstream.segmenter.model.Device;
import org.segstream.segmenter.model.ModelDescriptor;
import org.segstream.segmenter.model.SegmentationModel;

/**
 * The demo measures itself: mean IoU of the masks that came out of the sink against the generated
 * ground truth, next to the same model run offline on the same decoded frames. If the pipeline
 * misaligned, mixed, resized or colour-swapped frames, the two would differ.
 */
public final class DemoScore {
    private static final int OFFLINE_BATCH = 4;

    /**
     * {@code agreement}: the share of pixels where the pipeline's mask and the offline mask name the same
     * class. JPEG on the bus is the only difference between the two, so it stays close to 1; a
     * misaligned, resized or swapped frame would pull it down at once.
     */
    public record Result(int frames, int missingMasks, MaskScore pipeline, MaskScore offline, double agreement) {
        /** Difference in mean IoU points (percentage points). */
        public double differencePoints() {
            return 100 * Math.abs(pipeline.meanIou() - offline.meanIou());
        }

        public void print(PrintStream out) {
            out.printf("%nmean IoU over %d frames against the ground truth (classes present in it):%n", frames);
            out.printf("  %-44s %.3f  (pixel accuracy %.3f)%n", "pipeline: masks from the sink", pipeline.meanIou(), pipeline.pixelAccuracy());
            out.printf("  %-44s %.3f  (pixel accuracy %.3f)%n", "offline: the model on the same decoded frames", offline.meanIou(), offline.pixelAccuracy());
            out.printf("  difference %.2f points; the two masks agree on %.2f %% of pixels%s%n", differencePoints(), 100 * agreement,
                    missingMasks > 0 ? ", " + missingMasks + " masks missing" : "");
            StringBuilder perClass = new StringBuilder("  per class (pipeline):");
            for (Map.Entry<String, Double> e : pipeline.perClassIou(VocClasses.NAMES).entrySet()) {
                perClass.append(String.format(" %s %.2f", e.getKey(), e.getValue()));
            }
            out.println(perClass);
        }
    }

    private DemoScore() {
    }

    public static Result measure(Path video, Path groundTruth, Path masks, Path model, Device device) throws Exception {
        var pipeline = new MaskScore();
        var offline = new MaskScore();
        int frames = 0;
        int missing = 0;
        long[] agreed = new long[2]; // pixels compared, pixels equal
        try (var segmentation = SegmentationModel.load(ModelDescriptor.read(model), device, Runtime.getRuntime().availableProcessors());
             var decoder = VideoDecoder.open(SourceSpec.parse(video.toString()), Long.MAX_VALUE)) {
            List<BgrImage> batch = new ArrayList<>();
            List<ClassMap> truths = new ArrayList<>();
            List<ClassMap> fromPipeline = new ArrayList<>();
            DecodedFrame frame;
            while ((frame = decoder.next()) != null) {
                String name = SynthClip.maskName(frames);
                ClassMap truth = MaskPng.decode(Files.readAllBytes(groundTruth.resolve(name)));
                Path mask = masks.resolve(name);
                ClassMap piped = null;
                if (Files.exists(mask)) {
                    piped = MaskPng.decode(Files.readAllBytes(mask));
                    pipeline.add(truth, piped);
                } else {
                    missing++;
                }
                batch.add(frame.image());
                truths.add(truth);
                fromPipeline.add(piped);
                if (batch.size() == OFFLINE_BATCH) {
                    score(segmentation, batch, truths, fromPipeline, offline, agreed);
                }
                frames++;
            }
            if (!batch.isEmpty()) {
                score(segmentation, batch, truths, fromPipeline, offline, agreed);
            }
        }
        return new Result(frames, missing, pipeline, offline, agreed[0] == 0 ? 0 : (double) agreed[1] / agreed[0]);
    }

    private static void score(SegmentationModel model, List<BgrImage> batch, List<ClassMap> truths, List<ClassMap> fromPipeline,
                              MaskScore score, long[] agreed) throws Exception {
        BgrImage first = batch.get(0);
        ByteBuffer input = ByteBuffer.allocateDirect(first.pixels().length * batch.size()).order(ByteOrder.nativeOrder());
        for (BgrImage image : batch) {
            input.put(image.pixels());
        }
        input.flip();
        ClassMap[] predicted = model.segment(input, batch.size(), first.height(), first.width());
        for (int i = 0; i < predicted.length; i++) {
            score.add(truths.get(i), predicted[i]);
            ClassMap piped = fromPipeline.get(i);
            if (piped != null) {
                byte[] a = piped.classes();
                byte[] b = predicted[i].classes();
                for (int p = 0; p < a.length; p++) {
                    agreed[1] += a[p] == b[p] ? 1 : 0;
                }
                agreed[0] += a.length;
            }
        }
        batch.clear();
        truths.clear();
        fromPipeline.clear();
    }
}
