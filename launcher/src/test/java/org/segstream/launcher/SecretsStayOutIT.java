package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.scenes.TestClips;
import org.segstream.testsupport.ServiceProcess;

/**
 * A camera URL's password and token never come out again: not in the logs of `run` or a standalone
 * ingest (every reconnect logs the source), not in the run table, summary.json or any file written.
 */
class SecretsStayOutIT {
    static final String PASSWORD = "hunter2-s3cret";
    static final String TOKEN = "tok-98765";

    @Test
    void runKeepsACamerasCredentialsOutOfEveryOutput(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("clip.mkv"), 96, 64, 10, 25);
        String camera = "rtsp://admin:" + PASSWORD + "@127.0.0.1:" + closedPort() + "/stream1?token=" + TOKEN;
        Path out = dir.resolve("out");
        Path log = dir.resolve("run.log");
        String text;
        try (ServiceProcess run = CliProcess.run(out, log, "door=" + camera, clip.toString())) {
            // run ends by itself: the camera is unreachable, the clip is short
            int code = run.waitForExit(Duration.ofSeconds(180));
            text = run.log();
            assertEquals(0, code, "the clip was read: " + text);
        }
        assertTrue(text.contains("rtsp://admin:***@127.0.0.1"), "the camera is still named, masked:\n" + text);

        List<Path> outputs = new ArrayList<>(List.of(log));
        try (Stream<Path> files = Files.walk(out)) {
            files.filter(Files::isRegularFile).forEach(outputs::add);
        }
        assertTrue(outputs.stream().anyMatch(p -> p.endsWith("summary.json")), outputs.toString());
        assertNoSecretIn(outputs);
    }

    @Test
    void aStandaloneIngestRetryingACameraNeverLogsItsPassword(@TempDir Path dir) throws Exception {
        try (var broker = EmbeddedKafkaBroker.start()) {
            String camera = "rtsp://admin:" + PASSWORD + "@127.0.0.1:" + closedPort() + "/stream1?token=" + TOKEN;
            Path log = dir.resolve("ingest.log");
            try (var ingest = CliProcess.start("ingest", List.of("door=" + camera),
                    Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "SEGSTREAM_METRICS_PORT", "-1"), log)) {
                // A camera that is not up yet is retried with backoff: wait for a few reconnects to be logged.
                ingest.awaitWhileAlive("ingest retrying the camera 3 times", Duration.ofSeconds(60),
                        () -> count(ingest.log(), "reconnecting in") >= 3);
                assertTrue(ingest.stop(Duration.ofSeconds(30)));
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(text.contains("admin:***@"), text);
            assertNoSecretIn(List.of(log));
        }
    }

    private static void assertNoSecretIn(List<Path> files) throws Exception {
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(PASSWORD), "the password is in " + file);
            assertFalse(text.contains(TOKEN), "the token is in " + file);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** A loopback port nothing listens on: the camera is down. */
    private static int closedPort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
