package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.contract.Topics;
import org.segstream.scenes.TestClips;
import org.segstream.testsupport.ServiceProcess;
import org.segstream.video.VideoFileInfo;

/**
 * Every service against a broker that only speaks SASL_SSL with SCRAM-SHA-512, configured through
 * passed-through client settings (a properties file); a wrong password is a clear error; no secret
 * appears in any log.
 */
class SaslSslIT {
    static final String PASSWORD = "s3cret-Segstream-pw";

    @Test
    void servicesConnectWithPassedThroughSettingsAndAWrongPasswordIsRefused(@TempDir Path dir) throws Exception {
        try (var broker = EmbeddedKafkaBroker.startSaslSsl("segstream", PASSWORD)) {
            Map<String, Object> admin = new HashMap<>(broker.clientProperties());
            admin.put("bootstrap.servers", broker.bootstrapServers());
            try (Admin client = Admin.create(admin)) {
                TopicSetup.ensure(client, Topics.defaults(), 2, (short) 1);
            }
            var props = new Properties();
            props.putAll(broker.clientProperties());
            Path clientConfig = dir.resolve("client.properties");
            try (var out = Files.newBufferedWriter(clientConfig)) {
                props.store(out, "segstream client settings");
            }
            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            env.put("SEGSTREAM_KAFKA_CONFIG", clientConfig.toString());
            env.put("SEGSTREAM_MODEL", Path.of("..", "models", "fcn8s-slim.json").toAbsolutePath().toString());
            env.put("SEGSTREAM_STATE_DIR", dir.resolve("state").toString());
            env.put("SEGSTREAM_OUT_DIR", dir.resolve("out").toString());
            env.put("SEGSTREAM_METRICS_PORT", "0");
            env.put("SEGSTREAM_LIVE_PORT", "-1");
            Path clip = TestClips.write(dir.resolve("clip.mkv"), 160, 96, 20, 25);

            try (var segmenter = CliProcess.start("segmenter", env, dir.resolve("segmenter.log"));
                 var sink = CliProcess.start("sink", env, dir.resolve("sink.log"))) {
                var ingest = CliProcess.start("ingest", withArgs(env, clip), dir.resolve("ingest.log"));
                assertEquals(0, ingest.waitForExit(Duration.ofSeconds(120)), ingest.log());
                sink.awaitWhileAlive("the overlay", Duration.ofSeconds(120), () -> {
                    assertTrue(segmenter.alive(), "the segmenter ended; its log:\n" + segmenter.log());
                    return overlayOf(dir.resolve("out/clip")) != null;
                });
                Path overlay = overlayOf(dir.resolve("out/clip"));
                assertEquals(20, VideoFileInfo.read(overlay).frames(), "every frame went through the secured broker");

                Map<String, String> wrong = new HashMap<>(withArgs(env, clip));
                wrong.put("KAFKA_CLIENT_SASL_JAAS_CONFIG", broker.clientPropertiesWithPassword("not-the-password").get("sasl.jaas.config"));
                var refused = CliProcess.start("ingest", wrong, dir.resolve("ingest-wrong.log"));
                assertNotEquals(0, refused.waitForExit(Duration.ofSeconds(120)));
                assertTrue(refused.log().contains("Authentication failed"), refused.log());

                for (var log : List.of(segmenter.log(), sink.log(), ingest.log(), refused.log())) {
                    assertFalse(log.contains(PASSWORD), "a password in a log:\n" + log);
                    assertFalse(log.contains("not-the-password"), "a password in a log:\n" + log);
                    assertFalse(log.contains(broker.clientProperties().get("ssl.truststore.password")), "a store password in a log");
                }
            }
        }
    }

    /** ServiceProcess takes the service name only; the ingest sources go through SEGSTREAM_SOURCES. */
    private static Map<String, String> withArgs(Map<String, String> env, Path clip) {
        Map<String, String> out = new HashMap<>(env);
        out.put("SEGSTREAM_SOURCES", clip.toString());
        return out;
    }

    /** The finished overlay of the stream's one session, or null while there is none. */
    private static Path overlayOf(Path streamDir) throws Exception {
        if (!Files.isDirectory(streamDir)) {
            return null;
        }
        try (var files = Files.walk(streamDir, 2)) {
            return files.filter(p -> p.getFileName().toString().equals("overlay-000000.mp4")).findFirst().orElse(null);
        }
    }
}
