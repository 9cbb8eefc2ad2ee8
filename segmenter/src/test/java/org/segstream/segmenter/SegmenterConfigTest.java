package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.segstream.config.ConfigException;
import org.segstream.config.KafkaConnection;
import org.segstream.config.Settings;
import org.segstream.contract.Topics;
import org.segstream.segmenter.model.Device;

class SegmenterConfigTest {
    private static final KafkaConnection KAFKA = new KafkaConnection("b:9092", Map.of("security.protocol", "SSL"));

    private static SegmenterConfig from(String... variables) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < variables.length; i += 2) {
            env.put(variables[i], variables[i + 1]);
        }
        return SegmenterConfig.from(Settings.of(env), KAFKA);
    }

    @Test
    void everySettingHasItsDefaultWhereTheEnvironmentSaysNothing() {
        SegmenterConfig config = from();
        assertEquals("b:9092", config.bootstrapServers());
        assertEquals(Map.of("security.protocol", "SSL"), config.kafka());
        assertEquals(Topics.defaults(), config.topics());
        assertEquals(new SegmenterConfig.Inference(SegmenterConfig.DEFAULT_MODEL, Device.AUTO, Runtime.getRuntime().availableProcessors(),
                InputSizing.NATIVE, false, SegmenterConfig.Inference.AUTO_RUNS), config.inference());
        assertEquals(new SegmenterConfig.Batching(4, 50, 1000, true), config.batching());
        assertEquals(new SegmenterConfig.Processing("segstream-segmenter", "exactly_once_v2", 1,
                Path.of(System.getProperty("java.io.tmpdir"), "segstream-state")), config.processing());
        assertEquals(InputLimits.defaults(), config.limits());
        assertEquals(new InputLimits(3840L * 2160, 3840L * 2160, 1000, 600_000, 500), config.limits());
    }

    @Test
    void anOverrideWinsAndPixelsMayBeGivenAsASize() {
        SegmenterConfig config = from("SEGSTREAM_MAX_FRAME_PIXELS", "1920x1080", "SEGSTREAM_MAX_BATCH_PIXELS", "4000000",
                "SEGSTREAM_MAX_STREAMS", "50", "SEGSTREAM_STREAM_IDLE_SECONDS", "30", "SEGSTREAM_MAX_STREAM_LABELS", "10",
                "SEGSTREAM_MODEL", "/m/x.json", "SEGSTREAM_DEVICE", "CPU", "SEGSTREAM_INTRA_OP_THREADS", "3", "SEGSTREAM_ORT_SPIN", "1",
                "SEGSTREAM_INFERENCE_RUNS", "3", "SEGSTREAM_LIVE_BATCH_SIZE", "2",
                "SEGSTREAM_MODEL_INPUT", "640x360", "SEGSTREAM_BATCH_SIZE", "8", "SEGSTREAM_BATCH_MAX_WAIT_MS", "0",
                "SEGSTREAM_MAX_FRAME_AGE_MS", "3000", "SEGSTREAM_LIVE_FIRST", "false", "SEGSTREAM_APPLICATION_ID", "seg2",
                "SEGSTREAM_PROCESSING_GUARANTEE", "at_least_once", "SEGSTREAM_STREAM_THREADS", "2", "SEGSTREAM_STATE_DIR", "/s",
                "SEGSTREAM_MASKS_TOPIC", "m");
        assertEquals(new InputLimits(1920L * 1080, 4_000_000, 50, 30_000, 10), config.limits());
        assertEquals(new SegmenterConfig.Inference(Path.of("/m/x.json"), Device.CPU, 3, new InputSizing(640, 360), true, 3), config.inference());
        assertEquals(new SegmenterConfig.Batching(8, 0, 3000, false, 2), config.batching());
        assertEquals(new SegmenterConfig.Processing("seg2", "at_least_once", 2, Path.of("/s")), config.processing());
        assertEquals("m", config.topics().masks());
    }

    @Test
    void aBadValueNamesTheVariableTheValueAndWhatIsAllowed() {
        assertEquals("SEGSTREAM_MAX_FRAME_PIXELS is '4k', expected a number of pixels or WxH (e.g. 3840x2160)",
                assertThrows(ConfigException.class, () -> from("SEGSTREAM_MAX_FRAME_PIXELS", "4k")).getMessage());
        assertEquals("SEGSTREAM_MAX_STREAMS is '0', expected a whole number above 0",
                assertThrows(ConfigException.class, () -> from("SEGSTREAM_MAX_STREAMS", "0")).getMessage());
        assertEquals("SEGSTREAM_BATCH_SIZE is '257', expected a whole number from 1 to 256",
                assertThrows(ConfigException.class, () -> from("SEGSTREAM_BATCH_SIZE", "257")).getMessage());
        assertEquals("SEGSTREAM_DEVICE is 'gpu', expected one of auto, cpu, cuda",
                assertThrows(ConfigException.class, () -> from("SEGSTREAM_DEVICE", "gpu")).getMessage());
        assertEquals("SEGSTREAM_MODEL_INPUT is '0x360', expected native or WxH (e.g. 640x360)",
                assertThrows(ConfigException.class, () -> from("SEGSTREAM_MODEL_INPUT", "0x360")).getMessage());
        assertEquals("SEGSTREAM_PROCESSING_GUARANTEE is 'exactly_once', expected one of exactly_once_v2, at_least_once",
                assertThrows(ConfigException.class, () -> from("SEGSTREAM_PROCESSING_GUARANTEE", "exactly_once")).getMessage());
        assertEquals("SEGSTREAM_LIVE_FIRST is 'maybe', expected true or false",
                assertThrows(ConfigException.class, () -> from("SEGSTREAM_LIVE_FIRST", "maybe")).getMessage());
        assertEquals("SEGSTREAM_INFERENCE_RUNS is 'many', expected auto or a whole number from 1 to 64",
                assertThrows(ConfigException.class, () -> from("SEGSTREAM_INFERENCE_RUNS", "many")).getMessage());
        assertEquals("SEGSTREAM_INFERENCE_RUNS is '0', expected auto or a whole number from 1 to 64",
                assertThrows(ConfigException.class, () -> from("SEGSTREAM_INFERENCE_RUNS", "0")).getMessage());
        assertEquals("SEGSTREAM_LIVE_BATCH_SIZE is '0', expected auto or a whole number from 1 to 256",
                assertThrows(ConfigException.class, () -> from("SEGSTREAM_LIVE_BATCH_SIZE", "0")).getMessage());
        assertEquals("SEGSTREAM_BATCH_MAX_WAIT_MS is '-1', expected a whole number of at least 0",
                assertThrows(ConfigException.class, () -> from("SEGSTREAM_BATCH_MAX_WAIT_MS", "-1")).getMessage());
    }

    @Test
    void aRaisedFrameLimitRaisesTheBatchLimitWhereItIsLower() {
        var config = SegmenterConfig.of("b:9092", Topics.defaults(), Path.of("m.json"), Path.of("state")).withMaxFramePixels(7680L * 4320);
        assertEquals(7680L * 4320, config.limits().maxFramePixels());
        assertEquals(7680L * 4320, config.limits().maxBatchPixels());
        assertEquals(InputLimits.DEFAULT_MAX_STREAMS, config.limits().maxStreams());
    }

    @Test
    void theGroupsCheckTheirValues() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SegmenterConfig.Batching(0, 50, 1000, true))
                .getMessage().contains("outside 1..256"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SegmenterConfig.Processing("a", "x", 1, Path.of("s")))
                .getMessage().contains("'x'"));
        var config = SegmenterConfig.of("b:9092", Topics.defaults(), Path.of("m.json"), Path.of("state"));
        assertFalse(config.withLiveFirst(false).liveFirst());
        assertEquals(8, config.withBatchSize(8).batchSize());
        assertEquals(Path.of("m.json"), config.withBatchSize(8).model(), "a change to one group keeps the others");
    }

    @Test
    void runsAtOnceAreOnePerThreadOnTheCpuAndOneOnAGpuUnlessSet() {
        var auto = new SegmenterConfig.Inference(Path.of("m.json"), Device.AUTO, 2, InputSizing.NATIVE, false, SegmenterConfig.Inference.AUTO_RUNS);
        assertEquals(2, auto.runsOn("cpu"));
        assertEquals(1, auto.cpuThreadsPerRun());
        assertEquals(1, auto.runsOn("cuda"));
        var many = auto.withRuns(SegmenterConfig.Inference.AUTO_RUNS);
        assertEquals(4, new SegmenterConfig.Inference(Path.of("m.json"), Device.CPU, 16, InputSizing.NATIVE, false, 0).cpuRuns(),
                "auto stops at four runs, each holding a batch's activations");
        assertEquals(4, new SegmenterConfig.Inference(Path.of("m.json"), Device.CPU, 16, InputSizing.NATIVE, false, 0).cpuThreadsPerRun());
        var one = auto.withRuns(1);
        assertEquals(1, one.runsOn("cpu"));
        assertEquals(2, one.cpuThreadsPerRun(), "one run takes every thread");
        assertEquals(2, auto.withRuns(8).runsOn("cpu"), "no more runs than threads on the CPU");
        assertEquals(3, auto.withRuns(3).runsOn("cuda"));
        assertEquals(many, auto);
    }
}
