package org.segstream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.MaskPng;
import org.segstream.sink.OverlayRenderer;
import org.segstream.video.VideoEncoder;

/**
 * The benchmark's "stages around the model" table: the CPU cost per frame of each per-frame stage of
 * ingest, the segmenter and the sink, measured alone on the calling thread.
 */
final class StageCosts {
    private StageCosts() {
    }

    /** Each stage alone on this thread, over the frames and their masks: CPU ms per frame. */
    static Map<String, Double> measure(List<BgrImage> frames, List<ClassMap> masks, Path dir) throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        List<byte[]> jpegs = new ArrayList<>();
        List<byte[]> pngs = new ArrayList<>();
        var renderer = new OverlayRenderer(0.5);
        Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("ingest: JPEG encode (q90)", perFrame(cpu, frames.size(), i -> jpegs.add(JpegCodec.encode(frames.get(i), 90))));
        stages.put("segmenter: JPEG decode", perFrame(cpu, frames.size(), i -> JpegCodec.decode(jpegs.get(i), Long.MAX_VALUE)));
        stages.put("segmenter: mask PNG encode", perFrame(cpu, masks.size(), i -> pngs.add(MaskPng.encode(masks.get(i)))));
        stages.put("sink: mask PNG decode", perFrame(cpu, masks.size(), i -> MaskPng.decode(pngs.get(i))));
        List<BgrImage> overlays = new ArrayList<>();
        stages.put("sink: overlay blend", perFrame(cpu, masks.size(), i -> overlays.add(renderer.render(frames.get(i), masks.get(i)))));
        Path mp4 = Files.createDirectories(dir).resolve("bench-encode.mp4");
        try (var encoder = VideoEncoder.open(mp4, 640, 360, 25, VideoEncoder.Settings.h264())) {
            stages.put("sink: H.264 encode (veryfast)", perFrame(cpu, overlays.size(), i -> {
                try {
                    encoder.write(overlays.get(i));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        return stages;
    }

    private static double perFrame(ThreadMXBean cpu, int n, java.util.function.IntConsumer stage) {
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            stage.accept(i);
        }
        return (cpu.getCurrentThreadCpuTime() - start) / 1e6 / n;
    }
}
