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
import org.segstream.config.ConfigException;
import org.segstream.config.KafkaConnection;
import org.segstream.config.Settings;

class SinkConfigTest {
    static final Map<String, String> MINIMAL = Map.of();

    private static SinkConfig from(Map<String, String> env) {
        return SinkConfig.from(Settings.of(env), KafkaConnection.plain("broker:9092"));
    }

    @Test
    void defaultsBoundStreamsAndKeepTheLivePageOnLoopbackWithoutASignIn() {
        SinkConfig config = from(MINIMAL);
        assertEquals(new StreamLimits(Duration.ofSeconds(300), 100), config.limits());
        assertEquals("127.0.0.1", config.live().bind());
        assertEquals(8080, config.live().port());
        assertEquals(32, config.live().maxViewers());
        assertFalse(config.live().authenticates());
        assertEquals(config.limits(), SinkConfig.of("broker:9092", org.segstream.contract.Topics.defaults(), Path.of("out"), false).limits());
        assertEquals(new SinkConfig.Output(Path.of("out"), false, "veryfast", 23, 60), config.output());
        assertEquals(SinkConfig.Overlay.DEFAULTS, config.overlay());
        assertEquals("segstream-sink", config.groupId());
        assertTrue(config.retention().keepsEverything());
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
        env.put("SEGSTREAM_OUT_DIR", "/data/out");
        env.put("SEGSTREAM_WRITE_MASKS", "true");
        env.put("SEGSTREAM_H264_PRESET", "fast");
        env.put("SEGSTREAM_H264_CRF", "28");
        env.put("SEGSTREAM_SEGMENT_SECONDS", "30");
        env.put("SEGSTREAM_OVERLAY_OPACITY", "0.7");
        env.put("SEGSTREAM_OVERLAY_CLASSES", "person, car");
        env.put("SEGSTREAM_OVERLAY_LEGEND", "yes");
        env.put("SEGSTREAM_SINK_GROUP_ID", "sink-2");
        env.put("SEGSTREAM_RETENTION_MAX_GB", "2");
        SinkConfig config = from(env);
        assertEquals(new StreamLimits(Duration.ofMillis(2500), 7), config.limits());
        assertEquals(new SinkConfig.Output(Path.of("/data/out"), true, "fast", 28, 30), config.output());
        assertEquals(new SinkConfig.Overlay(0.7, java.util.Set.of("person", "car"), true, false), config.overlay());
        assertEquals("sink-2", config.groupId());
        assertEquals(new RetentionLimits(null, 2_000_000_000L), config.retention());
        assertEquals(new LiveViewConfig("0.0.0.0", -1, 3, "ops", "s3cret", LiveViewConfig.DEFAULT_KEEP_ALIVE,
                LiveViewConfig.DEFAULT_WRITE_TIMEOUT), config.live());
        assertFalse(config.toString().contains("s3cret"), "the password never shows: " + config);
    }

    @Test
    void thePasswordMayComeFromAFile(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("live-password"), "from-a-file\n");
        var env = new java.util.HashMap<>(MINIMAL);
        env.put("SEGSTREAM_LIVE_PASSWORD_FILE", secret.toString());
        assertEquals("from-a-file", from(env).live().password());
        env.put("SEGSTREAM_LIVE_PASSWORD", "inline");
        assertTrue(assertThrows(ConfigException.class, () -> from(env)).getMessage().contains("not both"));
        env.remove("SEGSTREAM_LIVE_PASSWORD");
        env.put("SEGSTREAM_LIVE_PASSWORD_FILE", dir.resolve("missing").toString());
        assertEquals("SEGSTREAM_LIVE_PASSWORD_FILE is '" + dir.resolve("missing") + "', expected a readable file whose first line is the"
                + " password", assertThrows(ConfigException.class, () -> from(env)).getMessage());
    }

    @Test
    void nonsenseIsRefusedNamingTheVariable() {
        for (var bad : Map.of("SEGSTREAM_MAX_STREAMS", "0", "SEGSTREAM_STREAM_IDLE_SECONDS", "-3", "SEGSTREAM_LIVE_MAX_VIEWERS", "many",
                "SEGSTREAM_LIVE_PORT", "http", "SEGSTREAM_WRITE_MASKS", "sure", "SEGSTREAM_H264_CRF", "52",
                "SEGSTREAM_H264_PRESET", "quick", "SEGSTREAM_OVERLAY_OPACITY", "2", "SEGSTREAM_SEGMENT_SECONDS", "0",
                "SEGSTREAM_RETENTION_MAX_GB", "lots").entrySet()) {
            var env = new java.util.HashMap<>(MINIMAL);
            env.put(bad.getKey(), bad.getValue());
            var e = assertThrows(ConfigException.class, () -> from(env), bad.toString());
            assertTrue(e.getMessage().startsWith(bad.getKey() + " is '" + bad.getValue() + "', expected "), e.getMessage());
        }
        assertEquals("SEGSTREAM_H264_CRF is '52', expected a whole number from 0 to 51",
                assertThrows(ConfigException.class, () -> from(Map.of("SEGSTREAM_H264_CRF", "52"))).getMessage());
        assertNull(LiveViewConfig.on("127.0.0.1", 0).password());
    }
}
