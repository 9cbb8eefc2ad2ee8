package org.segstream.segmenter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.segstream.testsupport.ServiceProcess;

/** The segmenter as operators run it: {@link SegmenterMain} in a JVM of its own, configured by its environment. */
final class StandaloneSegmenter {
    static final Path MODEL = Path.of("..", "models", "fcn8s-slim.json").toAbsolutePath();

    private StandaloneSegmenter() {
    }

    /** The slim model on the CPU, metrics on a free port (several segmenters on one machine), state in {@code stateDir}. */
    static Map<String, String> env(String bootstrap, Path stateDir) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("SEGSTREAM_MODEL", MODEL.toString());
        env.put("SEGSTREAM_DEVICE", "cpu");
        env.put("SEGSTREAM_METRICS_PORT", "0");
        env.put("SEGSTREAM_STATE_DIR", stateDir.toString());
        return env;
    }

    static ServiceProcess start(Map<String, String> env, Path log) throws IOException {
        return ServiceProcess.start(SegmenterMain.class, env, log);
    }
}
