package org.segstream.launcher;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.MaskPng;
import org.segstream.ingest.DecodedFrame;
import org.segstream.ingest.SourceSpec;
import org.segstream.ingest.VideoDecoder;
import org.segstream.scenes.street.SynthClip;
import org.segstream.segmenter.model.Device;
import org.segstream.segmenter.model.ModelDescriptor;
import org.segstream.segmenter.model.SegmentationModel;
import org.segstream.sink.OverlayRenderer;
import org.segstream.video.VideoEncoder;

/**
 * {@code segstream bench}: in one run, on the same clip, model and threads, the bare ONNX Runtime
 * session's throughput at the pipeline's batch size, the whole pipeline through the embedded broker,
 * and the CPU cost per frame of every stage around the model.
 */
final class Bench {
    private Bench() {
    }

    static int run(List<String> args, PrintStream out, Path home) throws Exception {
        RunOptions options = RunOptions.parse(args, Path.of("out", "bench"), home);
        Path dir = options.outDir();
        SynthClip.Summary clip = SynthClip.write(dir.resolve("source"), 77, 8, 640, 360, 25);
        List<BgrImage> frames = decode(clip.video());
        int batch = options.batchSize();

        // 1. The bare model: the ceiling for everything else.
        double bareFps;
        List<ClassMap> masks = new ArrayList<>();
        try (var model = SegmentationModel.load(ModelDescriptor.read(options.model()), options.device(),
                Runtime.getRuntime().availableProcessors())) {
            model.warmUp(batch, 640, 360);
            ByteBuffer input = ByteBuffer.allocateDirect(batch * 640 * 360 * 3).order(ByteOrder.nativeOrder());
            long start = System.nanoTime();
            for (int i = 0; i + batch <= frames.size(); i += batch) {
                input.clear();
                for (int k = 0; k < batch; k++) {
                    input.put(frames.get(i + k).pixels());
                }
                input.flip();
                for (ClassMap mask : model.segment(input, batch, 360, 640)) {
                    masks.add(mask);
                }
            }
            bareFps = masks.size() / ((System.nanoTime() - start) / 1e9);
        }

        // 2. The stages around the model, CPU time per frame on one thread.
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        List<byte[]> jpegs = new ArrayList<>();
        List<byte[]> pngs = new ArrayList<>();
        var renderer = new OverlayRenderer(0.5);
        double jpegEncode = perFrame(cpu, frames.size(), i -> jpegs.add(JpegCodec.encode(frames.get(i), 90)));
        double jpegDecode = perFrame(cpu, frames.size(), i -> JpegCodec.decode(jpegs.get(i), Long.MAX_VALUE));
        double pngEncode = perFrame(cpu, masks.size(), i -> pngs.add(MaskPng.encode(masks.get(i))));
        double pngDecode = perFrame(cpu, masks.size(), i -> MaskPng.decode(pngs.get(i)));
        List<BgrImage> overlays = new ArrayList<>();
        double blend = perFrame(cpu, masks.size(), i -> overlays.add(renderer.render(frames.get(i), masks.get(i))));
        Path mp4 = Files.createDirectories(dir).resolve("bench-encode.mp4");
        double h264;
        try (var encoder = VideoEncoder.open(mp4, 640, 360, 25, VideoEncoder.Settings.h264())) {
            h264 = perFrame(cpu, overlays.size(), i -> {
                try {
                    encoder.write(overlays.get(i));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        // 3. The whole pipeline, as fast as it goes.
        var outcome = PipelineRun.run(new PipelineRun.Options(List.of("bench=" + clip.video()), dir.resolve("pipeline"),
                options.model(), batch, false, options.partitions(), options.device(), -1, -1, false), new PrintStream(java.io.OutputStream.nullOutputStream()));
        RunSummary.Row row = outcome.summary().streams().get(0);

        out.printf("%nsegstream bench: %d frames of 640x360, model %s, batch %d, %d cores%n", frames.size(),
                options.model().getFileName(), batch, Runtime.getRuntime().availableProcessors());
        out.printf("%-34s %10s%n", "", "fps");
        out.printf("%-34s %10.1f%n", "bare model (ONNX Runtime session)", bareFps);
        out.printf("%-34s %10.1f   ratio %.2f%n", "pipeline (broker, 3 services)", row.fps(), row.fps() / bareFps);
        out.printf("%-34s p50 %d ms, p99 %d ms (as fast as possible: queueing included)%n", "end-to-end latency",
                row.latencyP50Ms(), row.latencyP99Ms());
        out.printf("%n%-34s %10s%n", "stage (one thread)", "CPU ms/frame");
        out.printf("%-34s %10.2f%n", "inference (bare, wall)", 1000 / bareFps);
        out.printf("%-34s %10.2f%n", "ingest: JPEG encode (q90)", jpegEncode);
        out.printf("%-34s %10.2f%n", "segmenter: JPEG decode", jpegDecode);
        out.printf("%-34s %10.2f%n", "segmenter: mask PNG encode", pngEncode);
        out.printf("%-34s %10.2f%n", "sink: mask PNG decode", pngDecode);
        out.printf("%-34s %10.2f%n", "sink: overlay blend", blend);
        out.printf("%-34s %10.2f%n", "sink: H.264 encode (veryfast)", h264);
        return 0;
    }

    private static List<BgrImage> decode(Path video) throws Exception {
        List<BgrImage> frames = new ArrayList<>();
        try (var decoder = VideoDecoder.open(SourceSpec.parse(video.toString()), Long.MAX_VALUE)) {
            DecodedFrame frame;
            while ((frame = decoder.next()) != null) {
                frames.add(frame.image());
            }
        }
        return frames;
    }

    private static double perFrame(ThreadMXBean cpu, int n, java.util.function.IntConsumer stage) {
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            stage.accept(i);
        }
        return (cpu.getCurrentThreadCpuTime() - start) / 1e6 / n;
    }
}
