package org.segstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.segstream.segmenter.model.Device;
import org.segstream.segmenter.model.ModelDescriptor;
import org.segstream.segmenter.model.SegmentationModel;

/**
 * Throughput of models on the CPU, as the segmenter runs them (SegmentationModel.segment, batch 1).
 * A main for the model card's measurements (tools/model/README.md), e.g.
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * nice -n 10 java -cp 'bench/target/bench.jar:bench/target/lib/*' \
 *     org.segstream.bench.ModelBenchmark [--size 640x360] [--threads 2] [--warmup 3] [--runs 10] a.json b.json ...
 * </pre>
 *
 * All models are loaded first and then run in turn, one frame each, so that load from other
 * processes falls on all of them alike. Prints one markdown table row per model: name, pad100,
 * GMAC (from the descriptor), fastest, median and mean ms per frame, and frames per second from the
 * median and from the fastest run (the best estimate on a machine that is not idle).
 */
public final class ModelBenchmark {
    private ModelBenchmark() {
    }

    // 44 lines on purpose: a developer's tool read top to bottom, options, models, warm-up and the timed loop sharing their values.
    public static void main(String[] args) throws Exception {
        int width = 640, height = 360, threads = 2, warmup = 3, runs = 10;
        int i = 0;
        for (; i < args.length && args[i].startsWith("--"); i += 2) {
            switch (args[i]) {
                case "--size" -> {
                    String[] wh = args[i + 1].split("x");
                    width = Integer.parseInt(wh[0]);
                    height = Integer.parseInt(wh[1]);
                }
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ByteBuffer frame = testFrame(width, height);

        List<SegmentationModel> models = new ArrayList<>();
        List<JsonNode> cards = new ArrayList<>();
        try {
            for (; i < args.length; i++) {
                var descriptor = ModelDescriptor.read(Path.of(args[i]));
                cards.add(new ObjectMapper().readTree(descriptor.descriptorFile().toFile()));
                models.add(SegmentationModel.load(descriptor, Device.CPU, threads));
            }
            for (int r = 0; r < warmup; r++) {
                for (SegmentationModel model : models) {
                    model.segment(frame.duplicate(), 1, height, width);
                }
            }
            double[][] ms = new double[models.size()][runs];
            for (int r = 0; r < runs; r++) {
                for (int m = 0; m < models.size(); m++) {
                    long t0 = System.nanoTime();
                    models.get(m).segment(frame.duplicate(), 1, height, width);
                    ms[m][r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            printTable(models, cards, ms, width, height, threads, warmup);
        } finally {
            models.forEach(SegmentationModel::close);
        }
    }

    /** A deterministic BGR test pattern, as the session takes it. */
    private static ByteBuffer testFrame(int width, int height) {
        ByteBuffer frame = ByteBuffer.allocateDirect(width * height * 3).order(ByteOrder.nativeOrder());
        for (int p = 0; p < frame.capacity(); p++) {
            int x = (p / 3) % width, y = (p / 3) / width;
            frame.put((byte) ((x * 7 + y * 3 + (p % 3) * 85 + (x * y) % 17) & 0xff));
        }
        return frame.flip();
    }

    /** One markdown row per model: its fastest, median and mean ms per frame over the timed runs {@code ms}. */
    private static void printTable(List<SegmentationModel> models, List<JsonNode> cards, double[][] ms, int width, int height,
                                   int threads, int warmup) {
        int runs = ms.length == 0 ? 0 : ms[0].length;
        System.out.printf(Locale.ROOT, "# %dx%d, batch 1, %d intra-op threads, %d warm-up + %d timed runs each, "
                        + "interleaved; %s, Java %s, %d CPUs%n",
                width, height, threads, warmup, runs, System.getProperty("os.arch"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| model | pad100 | GMAC | ms/frame fastest | median | mean | fps (median) | fps (fastest) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int m = 0; m < models.size(); m++) {
            double[] sorted = ms[m].clone();
            Arrays.sort(sorted);
            double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
            double mean = Arrays.stream(sorted).average().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.1f | %.1f | %.1f | %.2f | %.2f |%n",
                    models.get(m).descriptor().name(), cards.get(m).path("pad100").asText("?"),
                    cards.get(m).path("gmac_640x360").asDouble(Double.NaN),
                    sorted[0], median, mean, 1000 / median, 1000 / sorted[0]);
        }
    }
}
