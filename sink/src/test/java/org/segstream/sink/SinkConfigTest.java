package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkConfigTest {
    static final Map<String, String> MINIMAL = Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker:9092");

    @Test
    void defaultsBoundStreamsAndKeepTheLivePageOnLoopbackWithoutASignIn() {
        SinkConfig config = SinkConfig.fromEnv(MINIMAL, Map.of());
        assertEquals(new StreamLimits(Duration.ofSeconds(300), 100), config.limits());
        assertEquals("127.0.0.1", config.live().bind());
        assertEquals(8080, config.live().port());
        assertEquals(32, config.live().maxViewers());
        assertFalse(config.live().authenticates());
        assertEquals(config.limits(), SinkConfig.of("broker:9092", org.segstream.contract.Topics.defaults(), Path.of("out"), false).limits());
    }

    @Test
    void settingsGivenWin() {
        var env = new java.util.HashMap<>(MINIMAL);
        env.put("SEGSTREAM_STREAM_IDLE_SECONDS", "2.5");
        env.put("SEGSTREAM_MAX_STREAMS", "7");
        env.put("SEGSTREAM_LIVE_BIND", "0.0.0.0");
        env.put("SEGSTREAM_LIVE_PORT", "-1");
        env.put("SEGSTREAM_LIVE_MAX_VIEWERS", "3");
        env.put("SEGSTREAM_LIVE_USER", "ops");
        env.put("SEGSTREAM_LIVE_PASSWORD", "s3cret");
        SinkConfig config = SinkConfig.fromEnv(env, Map.of());
        assertEquals(new StreamLimits(Duration.ofMillis(2500), 7), config.limits());
        assertEquals(new LiveViewConfig("0.0.0.0", -1, 3, "ops", "s3cret", LiveViewConfig.DEFAULT_KEEP_ALIVE,
                LiveViewConfig.DEFAULT_WRITE_TIMEOUT), config.live());
        assertFalse(config.toString().contains("s3cret"), "the password never shows: " + config);
    }

    @Test
    void thePasswordMayComeFromAFile(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("live-password"), "from-a-file\n");
        var env = new java.util.HashMap<>(MINIMAL);
        env.put("SEGSTREAM_LIVE_PASSWORD_FILE", secret.toString());
        assertEquals("from-a-file", SinkConfig.fromEnv(env, Map.of()).live().password());
        env.put("SEGSTREAM_LIVE_PASSWORD", "inline");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SinkConfig.fromEnv(env, Map.of())).getMessage().contains("not both"));
        env.remove("SEGSTREAM_LIVE_PASSWORD");
        env.put("SEGSTREAM_LIVE_PASSWORD_FILE", dir.resolve("missing").toString());
        assertTrue(assertThrows(java.io.UncheckedIOException.class, () -> SinkConfig.fromEnv(env, Map.of())).getMessage()
                .contains("SEGSTREAM_LIVE_PASSWORD_FILE"));
    }

    @Test
    void nonsenseIsRefusedNamingTheVariable() {
        for (var bad : Map.of("SEGSTREAM_MAX_STREAMS", "0", "SEGSTREAM_STREAM_IDLE_SECONDS", "-3", "SEGSTREAM_LIVE_MAX_VIEWERS", "many",
                "SEGSTREAM_LIVE_PORT", "http").entrySet()) {
            var env = new java.util.HashMap<>(MINIMAL);
            env.put(bad.getKey(), bad.getValue());
            var e = assertThrows(IllegalArgumentException.class, () -> SinkConfig.fromEnv(env, Map.of()), bad.toString());
            assertTrue(e.getMessage().contains(bad.getKey()) && e.getMessage().contains(bad.getValue()), e.getMessage());
        }
        assertNull(LiveViewConfig.on("127.0.0.1", 0).password());
    }
}
