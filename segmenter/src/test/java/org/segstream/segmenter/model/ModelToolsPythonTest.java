package org.segstream.segmenter.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the Python unit tests of the model tools (state-dict conversion: key mapping, reshapes,
 * refusals; calibration: weights read back from an export, offsets folded into score_pool3) as part of ./mvnw verify. Needs Debian's python3-torch and python3-onnx (.ci/run installs them).
 */
class ModelToolsPythonTest {

    @Test
    void converterUnitTestsPass() throws Exception {
        runPythonTests("test_caffe_weights.py");
    }

    @Test
    void calibrationUnitTestsPass() throws Exception {
        runPythonTests("test_calibrate.py");
    }

    private static void runPythonTests(String name) throws Exception {
        Path script = Path.of("..", "tools", "model", name);
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the Python tests did not finish within 300 s:\n" + output);
        }
        assertEquals(0, p.exitValue(), "tools/model/" + name + " failed (install python3-torch python3-onnx):\n" + output);
    }
}
