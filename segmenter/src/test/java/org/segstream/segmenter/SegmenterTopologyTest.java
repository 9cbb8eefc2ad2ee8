package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.MaskPng;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.segstream.segmenter.model.Device;
import org.segstream.segmenter.model.ModelDescriptor;
import org.segstream.segmenter.model.SegmentationModel;

/** The segmenter topology without a broker (TopologyTestDriver), with the real bundled model in ONNX Runtime. */
class SegmenterTopologyTest {
    static final Path MODEL = Path.of("..", "models", "fcn8s-slim.json");
    static SegmentationModel model;

    private TopologyFixture fixture;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> frames;
    private TestOutputTopic<String, byte[]> masks;
    private TestOutputTopic<String, byte[]> deadLetters;
    private TestOutputTopic<String, byte[]> statsTopic;
    private SegmenterStats stats;

    @BeforeAll
    static void loadModel() throws Exception {
        model = SegmentationModel.load(ModelDescriptor.read(MODEL), Device.CPU, 2);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    private void start(int batchSize, long maxWaitMs) {
        start(batchSize, maxWaitMs, InputSizing.NATIVE);
    }

    private void start(int batchSize, long maxWaitMs, InputSizing sizing) {
        var batching = new SegmenterConfig.Batching(batchSize, maxWaitMs, 3000, SegmenterConfig.DEFAULT_LIVE_FIRST);
        fixture = TopologyFixture.start(TopologyFixture.config(MODEL, batching, sizing, InputLimits.defaults()), model, model.descriptor());
        driver = fixture.driver;
        frames = fixture.frames;
        masks = fixture.masks;
        deadLetters = fixture.deadLetters;
        statsTopic = fixture.statsTopic;
        stats = fixture.stats;
    }

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void masksComeOutInOrderPerStreamWithTheFramesSizeAndIdentity() throws Exception {
        long startedMs = System.currentTimeMillis();
        start(4, 1000);
        for (int seq = 0; seq < 5; seq++) {
            frames.pipeInput(frame("cam-a", seq, 65, 37));
            frames.pipeInput(frame("cam-b", seq, 48, 32));
        }
        frames.pipeInput(end("cam-a", 5));
        // Two full batches of cam-a/cam-b frames ran; the rest wait for the batch timer.
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        List<TestRecord<String, byte[]>> out = masks.readRecordsToList();
        assertEquals(11, out.size());
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), headerValues(out, "cam-a", HeaderNames.SEQ));
        assertEquals(List.of("0", "1", "2", "3", "4"), headerValues(out, "cam-b", HeaderNames.SEQ));
        for (TestRecord<String, byte[]> record : out) {
            String kind = header(record, HeaderNames.KIND);
            if (kind.equals("end")) {
                assertEquals("cam-a", record.key());
                continue;
            }
            ClassMap mask = MaskPng.decode(record.value());
            assertEquals(Integer.parseInt(header(record, HeaderNames.WIDTH)), mask.width());
            assertEquals(Integer.parseInt(header(record, HeaderNames.HEIGHT)), mask.height());
            assertEquals("png", header(record, HeaderNames.ENCODING));
            assertEquals("fcn8s-slim:0.2.0", header(record, HeaderNames.MODEL));
            assertTrue(Long.parseLong(header(record, HeaderNames.FRAME_OFFSET)) >= 0);
            long admitted = Long.parseLong(header(record, HeaderNames.SEGMENTER_IN_MS));
            long forwarded = Long.parseLong(header(record, HeaderNames.SEGMENTER_OUT_MS));
            assertTrue(admitted >= startedMs && forwarded >= admitted, "admitted " + admitted + ", forwarded " + forwarded + ", test started " + startedMs);
        }
        // The end marker follows cam-a's last mask.
        assertEquals("end", header(out.stream().filter(r -> r.key().equals("cam-a")).reduce((a, b) -> b).orElseThrow(), HeaderNames.KIND));
        assertEquals(Map.of("cam-a", 5L, "cam-b", 5L), stats.segmentedByStream());

        // One stats record a mask: class fractions of the mask that sum to 1.
        List<TestRecord<String, byte[]>> perFrame = statsTopic.readRecordsToList();
        assertEquals(10, perFrame.size());
        for (TestRecord<String, byte[]> record : perFrame) {
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(record.value());
            assertEquals(record.key(), json.path("stream").asText());
            double sum = 0;
            for (var fraction : json.path("classes")) {
                sum += fraction.asDouble();
            }
            assertEquals(1.0, sum, 1e-4);
            assertEquals("json", header(record, HeaderNames.ENCODING));
        }
    }

    @Test
    void fullBatchesRunWithoutWaitingAndPartialOnesAfterTheMaxWait() {
        start(4, 500);
        for (int seq = 0; seq < 6; seq++) {
            frames.pipeInput(frame("cam", seq, 40, 24));
        }
        assertEquals(4, masks.readRecordsToList().size(), "the full batch of 4 ran at once");
        driver.advanceWallClockTime(Duration.ofMillis(100));
        assertTrue(masks.isEmpty(), "the partial batch waits for batch.max.wait.ms");
        driver.advanceWallClockTime(Duration.ofMillis(600));
        assertEquals(2, masks.readRecordsToList().size());
        assertEquals(3.0, stats.meanBatchSize(), 1e-9);
    }

    @Test
    void aCaughtUpCameraTooSlowToFillTheBatchWithinTheWaitIsNotMadeToWait() {
        start(4, 300);
        long t0 = System.currentTimeMillis(); // the driver's wall clock starts at its creation and is not advanced here
        frames.pipeInput(sentAt(fiveFps(0), t0));
        assertTrue(masks.isEmpty(), "one frame says nothing of the camera's rate: it waits");
        frames.pipeInput(sentAt(fiveFps(1), t0 + 200));
        assertEquals(List.of("0", "1"), headerValues(masks.readRecordsToList(), "cam", HeaderNames.SEQ),
                "at 5 fps two more frames take 400 ms, more than the 300 ms wait: the partial batch runs at once");
        frames.pipeInput(sentAt(fiveFps(2), t0 + 400));
        assertEquals(List.of("2"), headerValues(masks.readRecordsToList(), "cam", HeaderNames.SEQ));
        assertEquals(1.5, stats.meanBatchSize(), 1e-9);
    }

    @Test
    void aBackloggedCameraStillFillsItsBatches() {
        start(4, 300);
        long old = System.currentTimeMillis() - 60_000; // frames sent a minute ago: the segmenter is behind
        for (int seq = 0; seq < 3; seq++) {
            frames.pipeInput(sentAt(frame("cam", seq, 40, 24), old + seq * 200));
        }
        assertTrue(masks.isEmpty(), "more frames are surely buffered behind these: wait for them");
        frames.pipeInput(sentAt(frame("cam", 3, 40, 24), old + 600));
        assertEquals(4, masks.readRecordsToList().size(), "a full batch");
    }

    @Test
    void poisonRecordsGoToDeadLettersWithTheReasonAndTheStreamGoesOn() {
        start(1, 0);
        var noHeaders = new TestRecord<String, byte[]>("cam", new byte[] {1, 2, 3});
        frames.pipeInput(noHeaders);
        var garbage = frame("cam", 0, 40, 24);
        frames.pipeInput(new TestRecord<>(garbage.key(), new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2}, garbage.headers()));
        var wrongSize = frame("cam", 1, 40, 24);
        HeaderValues.put(wrongSize.headers(), HeaderNames.WIDTH, 41);
        frames.pipeInput(wrongSize);
        frames.pipeInput(frame("cam", 2, 40, 24));
        driver.advanceWallClockTime(Duration.ofMillis(50));

        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(3, dead.size());
        assertEquals("missing header " + HeaderNames.KIND, header(dead.get(0), HeaderNames.ERROR));
        assertEquals("corrupt JPEG: byte 0x01 at offset 2 where a marker should start", header(dead.get(1), HeaderNames.ERROR));
        assertEquals("JPEG is 40x24 but the headers say 41x24", header(dead.get(2), HeaderNames.ERROR));
        assertEquals(List.of("2"), headerValues(masks.readRecordsToList(), "cam", HeaderNames.SEQ));
        assertEquals(Map.of("invalid", 3L), stats.deadLettersByReason());
    }

    @Test
    void aFixedModelInputBatchesAllSizesTogetherAndMasksKeepTheirFramesSize() {
        start(3, 10_000, InputSizing.parse("64x48"));
        frames.pipeInput(frame("a", 0, 65, 37));
        frames.pipeInput(frame("b", 0, 160, 90));
        frames.pipeInput(frame("c", 0, 31, 17));

        List<TestRecord<String, byte[]>> out = masks.readRecordsToList();
        assertEquals(3, out.size(), "three sizes made one full batch");
        for (TestRecord<String, byte[]> record : out) {
            ClassMap mask = MaskPng.decode(record.value());
            assertEquals(Integer.parseInt(header(record, HeaderNames.WIDTH)), mask.width());
            assertEquals(Integer.parseInt(header(record, HeaderNames.HEIGHT)), mask.height());
        }
        assertEquals(3.0, stats.meanBatchSize(), 1e-9);
    }

    @Test
    void nearestNeighbourUpsamplingKeepsClassIndicesAndAlignment() {
        var mask = new ClassMap(2, 1, new byte[] {3, 15});
        ClassMap up = InputSizing.toFrame(mask, 5, 2);
        assertEquals(List.of(3, 3, 15, 15, 15), List.of(up.classAt(0, 0), up.classAt(1, 0), up.classAt(2, 1), up.classAt(3, 1), up.classAt(4, 0)));
        assertEquals("native", InputSizing.parse("native").toString());
        assertEquals(new InputSizing(640, 360), InputSizing.parse("640x360"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> InputSizing.parse("640*360"))
                .getMessage().contains("'640*360'"));
    }

    @Test
    void staleLiveFramesAreShedAndCountedButFileFramesNeverAre() {
        start(2, 0);
        long old = System.currentTimeMillis() - 60_000;
        frames.pipeInput(frame("cam", 0, 40, 24, SourceKind.LIVE, old));
        frames.pipeInput(frame("cam", 1, 40, 24, SourceKind.LIVE, System.currentTimeMillis() + 10_000));
        frames.pipeInput(frame("file", 0, 40, 24, SourceKind.FILE, old));
        frames.pipeInput(end("cam", 2));
        driver.advanceWallClockTime(Duration.ofMillis(50));

        List<TestRecord<String, byte[]>> out = masks.readRecordsToList();
        assertEquals(List.of("0", "1", "2"), headerValues(out, "cam", HeaderNames.SEQ), "seq 0 shed, seq 1 segmented, then the end record");
        assertEquals(List.of("shed", "frame", "end"), headerValues(out, "cam", HeaderNames.KIND), "the shed frame's marker takes its place");
        assertEquals("stale", header(out.get(0), HeaderNames.SHED_REASON));
        assertEquals(0, out.get(0).value().length, "a marker carries no value");
        assertEquals(List.of("0"), headerValues(out, "file", HeaderNames.SEQ));
        assertEquals(Map.of("cam/stale", 1L), stats.droppedByStreamAndReason());
    }

    static TestRecord<String, byte[]> frame(String stream, long seq, int width, int height) {
        return frame(stream, seq, width, height, SourceKind.FILE, System.currentTimeMillis());
    }

    static TestRecord<String, byte[]> frame(String stream, long seq, int width, int height, SourceKind kind, long captureMs) {
        return frame(stream, seq, width, height, kind, captureMs, 25.0);
    }

    static TestRecord<String, byte[]> frame(String stream, long seq, int width, int height, SourceKind kind, long captureMs,
                                            double fps) {
        byte[] px = new byte[width * height * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i * 7 + seq * 13) & 0xff);
        }
        var headers = new RecordHeaders();
        new FrameIdentity(stream, "s1", seq, seq * 40_000, captureMs, width, height, fps, "jpeg", kind).writeTo(headers);
        return new TestRecord<>(stream, JpegCodec.encode(new BgrImage(width, height, px), 90), headers);
    }

    /** A frame of a camera that declares 5 fps. */
    static TestRecord<String, byte[]> fiveFps(long seq) {
        return frame("cam", seq, 40, 24, SourceKind.FILE, System.currentTimeMillis(), 5.0);
    }

    /** The record as its producer sent it at {@code timestampMs}. */
    static TestRecord<String, byte[]> sentAt(TestRecord<String, byte[]> record, long timestampMs) {
        return new TestRecord<>(record.key(), record.value(), record.headers(), Instant.ofEpochMilli(timestampMs));
    }

    static TestRecord<String, byte[]> end(String stream, long count) {
        var headers = new RecordHeaders();
        new StreamEnd(stream, "s1", count).writeTo(headers);
        return new TestRecord<>(stream, new byte[0], headers);
    }

    static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static List<String> headerValues(List<TestRecord<String, byte[]>> records, String key, String name) {
        return records.stream().filter(r -> key.equals(r.key())).map(r -> header(r, name)).toList();
    }
}
