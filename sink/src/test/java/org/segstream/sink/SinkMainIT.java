package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.service.ServiceMain;
import org.segstream.testsupport.ServiceProcess;

/** SinkMain reads its settings through config's binder: a value it refuses is one line naming the variable, and exit 2. */
class SinkMainIT {
    @Test
    void aRefusedSettingIsOneLineAndExit2(@TempDir Path dir) throws Exception {
        var env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "SEGSTREAM_METRICS_PORT", "nine",
                "SEGSTREAM_OUT_DIR", dir.resolve("out").toString());
        try (var sink = ServiceProcess.start(SinkMain.class, env, dir.resolve("sink.log"))) {
            assertEquals(ServiceMain.USAGE_EXIT, sink.waitForExit(Duration.ofSeconds(120)), sink.log());
            assertTrue(sink.log().contains("sink: SEGSTREAM_METRICS_PORT is 'nine', expected a port number"), sink.log());
        }
    }

    @Test
    void noBootstrapServersIsExit2(@TempDir Path dir) throws Exception {
        try (var sink = ServiceProcess.start(SinkMain.class, Map.of("KAFKA_BOOTSTRAP_SERVERS", " ", "SEGSTREAM_OUT_DIR", dir.resolve("out").toString()),
                dir.resolve("sink.log"))) {
            assertEquals(ServiceMain.USAGE_EXIT, sink.waitForExit(Duration.ofSeconds(120)), sink.log());
            assertTrue(sink.log().contains("sink: KAFKA_BOOTSTRAP_SERVERS is not set"), sink.log());
        }
    }
}
