package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.segstream.contract.Topics;

class SegmenterConfigTest {

    @Test
    void inputLimitsDefaultWhereTheEnvironmentSaysNothing() {
        SegmenterConfig config = SegmenterConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092"), Map.of());
        assertEquals(InputLimits.defaults(), config.limits());
        assertEquals(new InputLimits(3840L * 2160, 3840L * 2160, 1000, 600_000, 500), config.limits());
        assertEquals(3840L * 2160, config.maxPixels());
    }

    @Test
    void anOverrideWinsAndPixelsMayBeGivenAsASize() {
        SegmenterConfig config = SegmenterConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "SEGSTREAM_MAX_FRAME_PIXELS", "1920x1080", "SEGSTREAM_MAX_BATCH_PIXELS", "4000000",
                "SEGSTREAM_MAX_STREAMS", "50", "SEGSTREAM_STREAM_IDLE_SECONDS", "30", "SEGSTREAM_MAX_STREAM_LABELS", "10"), Map.of());
        assertEquals(new InputLimits(1920L * 1080, 4_000_000, 50, 30_000, 10), config.limits());
    }

    @Test
    void aBadValueNamesTheVariable() {
        var e = assertThrows(IllegalArgumentException.class, () -> SegmenterConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "SEGSTREAM_MAX_FRAME_PIXELS", "4k"), Map.of()));
        assertEquals("SEGSTREAM_MAX_FRAME_PIXELS is '4k', expected a number of pixels or WxH (e.g. 3840x2160)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SegmenterConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "SEGSTREAM_MAX_STREAMS", "0"), Map.of()));
        assertEquals("max streams 0 must be positive", e.getMessage());
    }

    @Test
    void theFrameLimitOfTheShortConstructorRaisesTheBatchLimitWhereItIsLower() {
        var config = new SegmenterConfig("b:9092", Topics.defaults(), "app", Path.of("m.json"), org.segstream.segmenter.model.Device.CPU,
                1, 4, 50, 3000, InputSizing.NATIVE, "exactly_once_v2", 1, Path.of("state"), 7680L * 4320, Map.of());
        assertEquals(7680L * 4320, config.limits().maxFramePixels());
        assertEquals(7680L * 4320, config.limits().maxBatchPixels());
        assertEquals(InputLimits.DEFAULT_MAX_STREAMS, config.limits().maxStreams());
    }
}
