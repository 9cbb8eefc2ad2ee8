package org.segstream.segmenter.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.ClassMap;

/**
 * The weights converter (tools/model/export_onnx.py --state-dict, tools/model/caffe_weights.py)
 * against PyTorch: tools/model/parity_fixture.py builds random weights in the layout of the
 * published Caffe FCN-8s, converts them the way a user converts real ones, and records what the
 * PyTorch model computes; here ONNX Runtime runs the converted graph on the same pixels.
 *
 * <p>Needs Debian's Python with torch and onnx ({@code apt-get install python3-torch python3-onnx});
 * without them the test fails rather than skips, so CI cannot pass without checking the converter.
 */
class CaffeWeightsParityTest {
    /** Debian's Python (tools/model/README.md); {@code -Dsegstream.python=...} names another with torch and onnx. */
    static final Path PYTHON = Path.of(System.getProperty("segstream.python", "/usr/bin/python3"));
    static final Path TOOLS = Path.of("..", "tools", "model").toAbsolutePath().normalize();
    static final String INSTALL_HINT = "the weights converter needs Debian's Python with torch and onnx: "
            + "apt-get install -y python3-torch python3-onnx (called as /usr/bin/python3, not a pyenv or venv python3)";

    /** The limits: largest absolute logit difference, share of identical class-map pixels. */
    static final double MAX_ABS_LOGIT_DIFF = 1e-3;
    static final double MIN_IDENTICAL = 0.999;
    /**
     * Width multiplier of the fixture: 0.125 (seconds) unless {@code -Dsegstream.parity.width=1.0} asks for the
     * published model's full shapes (a manual run of several minutes).
     */
    static final String WIDTH = System.getProperty("segstream.parity.width", "0.125");
    static final long PYTHON_TIMEOUT_SECONDS = Double.parseDouble(WIDTH) <= 0.25 ? 240 : 3600;

    @Test
    void pad100GeometryConvertedFromCaffeLayoutMatchesPyTorch(@TempDir Path dir) throws Exception {
        checkParity(dir, true);
    }

    @Test
    void sameGeometryConvertedFromCaffeLayoutMatchesPyTorch(@TempDir Path dir) throws Exception {
        checkParity(dir, false);
    }

    @Test
    void converterAcceptsThePublishedVariantsAndNamesWhatIsWrongOtherwise() throws Exception {
        String output = python(TOOLS.resolve("test_caffe_weights.py").toString());
        assertTrue(output.contains("OK"), output);
    }

    private static void checkParity(Path dir, boolean pad100) throws Exception {
        List<String> args = new ArrayList<>(List.of(TOOLS.resolve("parity_fixture.py").toString(), "--out", dir.toString(),
                "--width", WIDTH));
        if (pad100) {
            args.add("--pad100");
        } else {
            args.add("--no-frame"); // the odd-sized batch covers the crops; the 360x640 frame runs in pad100 only
        }
        String log = python(args.toArray(String[]::new));
        JsonNode fixture = new ObjectMapper().readTree(dir.resolve("input.json").toFile());
        String geometry = "width " + WIDTH + (pad100 ? " pad100" : " same");

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (var options = new OrtSession.SessionOptions()) {
            // As SegmentationModel runs it: full graph optimisation (fused convolutions), 2 threads.
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(dir.resolve("model.onnx").toString(), options);
                 SegmentationModel model = SegmentationModel.load(ModelDescriptor.read(dir.resolve("model.json")), Device.CPU, 2)) {
                assertEquals(List.of("classes", "scores"), List.copyOf(session.getOutputNames()),
                        "the parity graph has the production output first and the logits second");
                for (JsonNode c : fixture.get("cases")) {
                    compareCase(env, session, model, dir, c, geometry, log);
                }
            }
        }
    }

    private static void compareCase(OrtEnvironment env, OrtSession session, SegmentationModel model, Path dir,
                                    JsonNode c, String geometry, String log) throws Exception {
        int n = c.get("shape").get(0).asInt(), h = c.get("shape").get(1).asInt(), w = c.get("shape").get(2).asInt();
        byte[] pixels = Files.readAllBytes(dir.resolve(c.get("input").asText()));
        byte[] torchClasses = Files.readAllBytes(dir.resolve(c.get("classes").asText()));
        FloatBuffer torchLogits = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(c.get("logits").asText())))
                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int count = n * h * w;
        assertEquals(count * 3, pixels.length, "input bytes");
        assertEquals(count, torchClasses.length, "torch classes");
        assertEquals(count * 21, torchLogits.remaining(), "torch logits");

        float[] ortLogits = new float[count * 21];
        byte[] ortClasses = new byte[count];
        try (OnnxTensor input = OnnxTensor.createTensor(env, direct(pixels), new long[] {n, h, w, 3}, OnnxJavaType.UINT8);
             OrtSession.Result result = session.run(Map.of("image", input))) {
            OnnxTensor classes = (OnnxTensor) result.get("classes").orElseThrow();
            OnnxTensor scores = (OnnxTensor) result.get("scores").orElseThrow();
            assertArrayEquals(new long[] {n, h, w}, classes.getInfo().getShape(), "classes shape");
            assertArrayEquals(new long[] {n, 21, h, w}, scores.getInfo().getShape(), "scores shape");
            classes.getByteBuffer().get(ortClasses);
            scores.getFloatBuffer().get(ortLogits);
        }

        double maxDiff = 0;
        int worst = -1;
        for (int i = 0; i < ortLogits.length; i++) {
            double d = Math.abs(ortLogits[i] - torchLogits.get(i));
            if (!(d <= maxDiff)) { // NaN counts as worst
                maxDiff = d;
                worst = i;
            }
        }
        double identicalOrt = identical(ortClasses, torchClasses);

        ClassMap[] maps = model.segment(direct(pixels), n, h, w);
        byte[] modelClasses = new byte[count];
        for (int i = 0; i < n; i++) {
            System.arraycopy(maps[i].classes(), 0, modelClasses, i * h * w, h * w);
        }
        double identicalModel = identical(modelClasses, torchClasses);
        double identicalModelOrt = identical(modelClasses, ortClasses);

        String figures = String.format(Locale.ROOT,
                "parity %s %s: max |logit ORT - torch| = %.3g (|logit| up to %s, relative %.2g; near-ties %s); "
                        + "identical classes ORT vs torch %.4f%%, SegmentationModel vs torch %.4f%%, vs ORT %.4f%%",
                geometry, c.get("name").asText(), maxDiff, c.get("logits_max_abs").asText(),
                maxDiff / c.get("logits_max_abs").asDouble(), c.get("near_ties").asText(),
                100 * identicalOrt, 100 * identicalModel, 100 * identicalModelOrt);
        System.out.println(figures);
        String context = figures + (worst >= 0 ? " (worst at flat NCHW index " + worst + ": ORT " + ortLogits[worst]
                + ", torch " + torchLogits.get(worst) + ")" : "") + "\nfixture log:\n" + log;
        assertTrue(maxDiff < MAX_ABS_LOGIT_DIFF, context);
        assertTrue(identicalOrt >= MIN_IDENTICAL, context);
        assertTrue(identicalModel >= MIN_IDENTICAL, context);
        assertTrue(identicalModelOrt >= MIN_IDENTICAL, context);
    }

    private static double identical(byte[] a, byte[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                same++;
            }
        }
        return (double) same / a.length;
    }

    private static ByteBuffer direct(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
        buffer.put(bytes).flip();
        return buffer;
    }

    /** Runs /usr/bin/python3 with {@code args}; returns its output, or fails showing it. */
    private static String python(String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            fail(PYTHON + " does not exist; " + INSTALL_HINT);
        }
        if (!pythonChecked) {
            Outcome probe = run(List.of(PYTHON.toString(), "-c", "import torch, onnx"), 120);
            if (probe.exit != 0) {
                fail(PYTHON + " cannot import torch and onnx; " + INSTALL_HINT + "\n" + probe.output);
            }
            pythonChecked = true;
        }
        List<String> command = new ArrayList<>();
        command.add(PYTHON.toString());
        command.addAll(List.of(args));
        Outcome outcome = run(command, PYTHON_TIMEOUT_SECONDS);
        if (outcome.exit != 0) {
            fail(String.join(" ", command) + (outcome.exit == TIMED_OUT ? " did not finish in " + PYTHON_TIMEOUT_SECONDS + " s"
                    : " exited with " + outcome.exit) + "; output:\n" + outcome.output);
        }
        return outcome.output;
    }

    static final int TIMED_OUT = Integer.MIN_VALUE;
    private static volatile boolean pythonChecked;

    record Outcome(int exit, String output) {
    }

    /** Runs a command with stdout and stderr to a file (no pipe to fill up), killing it after the timeout. */
    private static Outcome run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("segstream-python", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return new Outcome(done ? process.exitValue() : TIMED_OUT, Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
