package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.segstream.broker.EmbeddedKafkaBroker;

/** {@code segstream topics}, as the compose stack's one-shot service runs it, against a real broker. */
class TopicSetupIT {
    @Test
    void createsTheTopicsWithTheirRetentionThenAppliesAChangedLimitToThem() throws Exception {
        try (var broker = EmbeddedKafkaBroker.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "SEGSTREAM_FRAMES_TOPIC", "t.frames");

            String first = run(env, "--partitions", "3");
            assertTrue(first.contains("created t.frames: 3 partitions, keeps 1 h and 1 GiB a partition"), first);
            assertTrue(first.contains("created segstream.dead-letters: 3 partitions, keeps 7 d and 1 GiB a partition"), first);
            assertEquals(3, admin.describeTopics(List.of("t.frames")).allTopicNames().get().get("t.frames").partitions().size());
            awaitConfig(admin, "t.frames", "retention.ms", "3600000");
            Config frames = config(admin, "t.frames");
            assertEquals("3600000", frames.get("retention.ms").value());
            assertEquals("1073741824", frames.get("retention.bytes").value());
            assertEquals("900000", frames.get("segment.ms").value());
            assertEquals("9437184", frames.get("max.message.bytes").value());
            assertEquals("86400000", config(admin, "segstream.masks").get("retention.ms").value());

            var changed = new java.util.HashMap<>(env);
            changed.put("SEGSTREAM_FRAMES_RETENTION_MS", "1800000");
            String second = run(changed);
            assertTrue(second.contains("t.frames exists: set retention.ms=1800000 (was 3600000), segment.ms=450000 (was 900000),"
                    + " so it keeps 30 min and 1 GiB a partition"), second);
            assertTrue(second.contains("segstream.masks exists, keeps 1 d and 2 GiB a partition"), second);
            awaitConfig(admin, "t.frames", "retention.ms", "1800000");
        }
    }

    private static String run(Map<String, String> env, String... args) throws Exception {
        var bytes = new ByteArrayOutputStream();
        List<String> command = new java.util.ArrayList<>(List.of("topics"));
        command.addAll(List.of(args));
        assertEquals(0, SegstreamCli.run(command.toArray(String[]::new), new PrintStream(bytes, true, StandardCharsets.UTF_8), env));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The controller has a change when the call returns; the broker that answers describeConfigs applies it a moment later. */
    private static void awaitConfig(Admin admin, String topic, String key, String value) {
        Awaitility.await(topic + " " + key + "=" + value).atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> assertEquals(value, config(admin, topic).get(key).value(), topic + " " + key));
    }

    private static Config config(Admin admin, String topic) throws Exception {
        var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
}
