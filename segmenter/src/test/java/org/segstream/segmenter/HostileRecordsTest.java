package org.segstream.segmenter;

import static org.segstream.contract.JpegEdits.asFourComponents;
import static org.segstream.contract.JpegEdits.withSofSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.segstream.segmenter.SegmenterTopologyTest.MODEL;
import static org.segstream.segmenter.SegmenterTopologyTest.frame;
import static org.segstream.segmenter.SegmenterTopologyTest.header;
import static org.segstream.segmenter.SegmenterTopologyTest.headerValues;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.common.header.Header;
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
import org.segstream.contract.DeadLetter;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramePosition;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.Mask;
import org.segstream.contract.SourceKind;
import org.segstream.contract.TopicValue;
import org.segstream.contract.Topics;
import org.segstream.segmenter.model.Device;
import org.segstream.segmenter.model.ModelDescriptor;
import org.segstream.segmenter.model.SegmentationModel;

/**
 * Records built to hurt the segmenter: each ends as a small dead letter with a short, one-line
 * reason (or is refused before it costs anything), nothing of it is left to replay after a restart,
 * and a good stream's frames after it still get their masks.
 */
class HostileRecordsTest {
    static SegmentationModel model;

    private TopologyFixture fixture;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> frames;
    private TestOutputTopic<String, byte[]> masks;
    private TestOutputTopic<String, byte[]> deadLetters;
    private SegmenterStats stats;
    private int goodSeq;

    @BeforeAll
    static void loadModel() throws Exception {
        model = SegmentationModel.load(ModelDescriptor.read(MODEL), Device.CPU, 2);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    private void start(InputLimits limits, int batchSize) {
        var batching = new SegmenterConfig.Batching(batchSize, 0, 3000, SegmenterConfig.DEFAULT_LIVE_FIRST);
        fixture = TopologyFixture.start(TopologyFixture.config(MODEL, batching, InputSizing.NATIVE, limits), model, model.descriptor());
        driver = fixture.driver;
        frames = fixture.frames;
        masks = fixture.masks;
        deadLetters = fixture.deadLetters;
        stats = fixture.stats;
    }

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aMegabytesLongHeaderEndsAsASmallDeadLetterAndNeverReachesTheLog() {
        start(InputLimits.defaults(), 1);
        var poison = frame("cam", 0, 40, 24);
        HeaderValues.put(poison.headers(), HeaderNames.SEQ, "9".repeat(4_800_000));

        String log = stderrOf(() -> frames.pipeInput(poison));

        TestRecord<String, byte[]> dead = onlyDeadLetter();
        String reason = header(dead, HeaderNames.ERROR);
        assertEquals("header segstream.seq is 4800000 bytes, over the limit of 1024 [dead letter: header values cut to 256 bytes: "
                + "segstream.seq (4800000 bytes)]", reason);
        assertEquals(256, dead.headers().lastHeader(HeaderNames.SEQ).value().length);
        assertEquals("0", header(dead, HeaderNames.FRAME_OFFSET));
        assertArrayEquals(poison.value(), dead.value(), "the value is kept: it is small");
        assertTrue(size(dead) < 10_000, size(dead) + " bytes");
        assertTrue(log.contains("dead letter (invalid)"), log);
        assertTrue(log.length() < 2_000, "the log got " + log.length() + " characters");
        assertNothingPending();
        assertGoodFramesStillGetMasks();
        assertEquals(Map.of("invalid", 1L), stats.deadLettersByReason());
    }

    @Test
    void aDeadLetterTooLargeForItsTopicIsReplacedByASmallOneThatKeepsTheIdentity() {
        start(InputLimits.defaults(), 1);
        var huge = frame("cam", 7, 40, 24);
        byte[] value = Arrays.copyOf(huge.value(), Topics.MAX_RECORD_BYTES); // a producer's compression let it in
        for (int i = 0; i < 300; i++) {
            huge.headers().add("x-padding-" + i, new byte[100]);
        }
        frames.pipeInput(new TestRecord<>("cam", value, huge.headers()));

        TestRecord<String, byte[]> dead = onlyDeadLetter();
        assertNull(dead.value(), "no value");
        String reason = header(dead, HeaderNames.ERROR);
        assertTrue(reason.startsWith("value of 9437184 bytes is over the limit of 9175040 [dead letter: "), reason);
        assertTrue(reason.contains("value of 9437184 bytes and all but the identity headers left out"), reason);
        assertTrue(reason.contains("247 headers left out (name over 128 bytes, or past 64 headers)"), reason);
        assertEquals("cam", header(dead, HeaderNames.STREAM));
        assertEquals("7", header(dead, HeaderNames.SEQ));
        assertEquals("s1", header(dead, HeaderNames.SESSION));
        assertEquals("0", header(dead, HeaderNames.FRAME_PARTITION));
        assertEquals("0", header(dead, HeaderNames.FRAME_OFFSET));
        assertNull(dead.headers().lastHeader("x-padding-0"));
        assertTrue(size(dead) < 4_000, size(dead) + " bytes");
        assertNothingPending();
        assertGoodFramesStillGetMasks();
    }

    @Test
    void aTruncatedJpegThatDeclares4kIsRefusedFromItsMarkersWithoutDecoding() {
        start(InputLimits.defaults(), 1);
        byte[] jpeg = JpegCodec.encode(pattern(320, 180), 90);
        byte[] cut = Arrays.copyOf(jpeg, 1200);
        long started = System.nanoTime();
        frames.pipeInput(new TestRecord<>("cam", withSofSize(cut, 3840, 2160), identity("cam", 0, 3840, 2160)));
        frames.pipeInput(new TestRecord<>("cam", cut, identity("cam", 1, 320, 180)));
        // Complete, but 2 KB: it cannot hold the 4K it declares.
        frames.pipeInput(new TestRecord<>("cam", withSofSize(JpegCodec.encode(pattern(64, 36), 90), 3840, 2160),
                identity("cam", 2, 3840, 2160)));

        List<String> reasons = deadLetters.readRecordsToList().stream().map(r -> header(r, HeaderNames.ERROR)).toList();
        assertEquals("JPEG of 1200 bytes cannot hold the 3840x2160 it declares (at least 48600 bytes)", reasons.get(0));
        assertEquals("truncated JPEG (1200 bytes): the image data stops without an end-of-image marker", reasons.get(1));
        assertTrue(reasons.get(2).matches("JPEG of \\d+ bytes cannot hold the 3840x2160 it declares \\(at least 48600 bytes\\)"),
                reasons.get(2));
        assertTrue(System.nanoTime() - started < 1_000_000_000L, "refused without decoding or inference");
        assertGoodFramesStillGetMasks();
    }

    @Test
    void imageDataCutShortBehindAnEndMarkerIsRefusedByTheDecoder() {
        start(InputLimits.defaults(), 1);
        byte[] jpeg = JpegCodec.encode(pattern(320, 180), 90);
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2 + 2);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        frames.pipeInput(new TestRecord<>("cam", cut, identity("cam", 0, 320, 180)));

        assertEquals("undecodable JPEG: Corrupt JPEG data: premature end of data segment", header(onlyDeadLetter(), HeaderNames.ERROR));
        assertGoodFramesStillGetMasks();
    }

    @Test
    void pngGreyscaleAndCmykValuesMarkedJpegAreNoFrames() throws Exception {
        start(InputLimits.defaults(), 1);
        var colour = new BufferedImage(40, 24, BufferedImage.TYPE_3BYTE_BGR);
        frames.pipeInput(new TestRecord<>("cam", encode(colour, "png"), identity("cam", 0, 40, 24)));
        frames.pipeInput(new TestRecord<>("cam", encode(new BufferedImage(40, 24, BufferedImage.TYPE_BYTE_GRAY), "jpeg"),
                identity("cam", 1, 40, 24)));
        frames.pipeInput(new TestRecord<>("cam", asFourComponents(JpegCodec.encode(pattern(40, 24), 90)), identity("cam", 2, 40, 24)));

        assertEquals(List.of("value is not a JPEG (a PNG image)",
                        "JPEG is greyscale (1 component), expected 3 (YCbCr or RGB)",
                        "JPEG is CMYK or YCCK (4 components), expected 3 (YCbCr or RGB)"),
                deadLetters.readRecordsToList().stream().map(r -> header(r, HeaderNames.ERROR)).toList());
        assertGoodFramesStillGetMasks();
        assertEquals(Map.of("invalid", 3L), stats.deadLettersByReason());
    }

    @Test
    void sizesAreCheckedAgainstTheHeadersAndTheLimitBeforeDecoding() {
        start(InputLimits.defaults(), 1);
        byte[] small = JpegCodec.encode(pattern(64, 36), 90);
        frames.pipeInput(new TestRecord<>("cam", small, identity("cam", 0, 3840, 2160)));
        frames.pipeInput(new TestRecord<>("cam", small, identity("cam", 1, 7680, 4320)));
        frames.pipeInput(new TestRecord<>("cam", withSofSize(small, 32, 18), identity("cam", 2, 64, 36)));

        assertEquals(List.of("JPEG is 64x36 but the headers say 3840x2160",
                        "frame of 7680x4320 is over the limit of 8294400 pixels",
                        "JPEG is 32x18 but the headers say 64x36"),
                deadLetters.readRecordsToList().stream().map(r -> header(r, HeaderNames.ERROR)).toList());
        assertGoodFramesStillGetMasks();
    }

    @Test
    void aKeyWithANewlineIsEchoedEscapedAndAStreamIdWithOneIsData() {
        start(InputLimits.defaults(), 1);
        var forged = frame("cam", 0, 40, 24);
        String log = stderrOf(() -> frames.pipeInput(new TestRecord<>("cam\n01:02:03.456 [main] INFO forged line", forged.value(),
                forged.headers())));

        String reason = header(onlyDeadLetter(), HeaderNames.ERROR);
        assertEquals("record key 'cam\\n01:02:03.456 [main] INFO forged line' differs from header stream 'cam'", reason);
        assertFalse(log.contains("\n01:02:03.456"), log);
        assertEquals(1, log.lines().filter(line -> line.contains("dead letter")).count(), log);

        // A stream id is data: one with a newline in it is segmented like any other (the sink encodes it for paths).
        frames.pipeInput(frame("odd\nid", 0, 40, 24));
        assertEquals(List.of("0"), headerValues(masks.readRecordsToList(), "odd\nid", HeaderNames.SEQ));
        assertGoodFramesStillGetMasks();
    }

    @Test
    void thousandsOfStreamIdsStayWithinTheStreamAndLabelCaps() {
        var limits = InputLimits.defaults().withStreams(1000, 60_000, 500);
        start(limits, 4);
        for (int i = 0; i < 2_100; i++) {
            frames.pipeInput(frame("flood-" + i, 0, 40, 24));
        }
        driver.advanceWallClockTime(Duration.ofMillis(10));

        assertEquals(1000, masks.readRecordsToList().size());
        List<TestRecord<String, byte[]>> refused = deadLetters.readRecordsToList();
        assertEquals(1100, refused.size());
        assertEquals("stream 'flood-1000' is refused: the segmenter already keeps 1000 active streams (SEGSTREAM_MAX_STREAMS; "
                + "a stream is forgotten after SEGSTREAM_STREAM_IDLE_SECONDS without a frame)", header(refused.get(0), HeaderNames.ERROR));
        assertEquals(Map.of("too_many_streams", 1100L), stats.deadLettersByReason());
        assertEquals(1000, stats.activeStreams());
        assertEquals(501, stats.streamLabels().size(), "500 streams by name, the rest under (other)");
        assertTrue(stats.streamLabels().contains(ActiveStreams.OTHER));

        // A minute later every flood stream is idle: forgotten, with its series, and a new stream is taken.
        driver.advanceWallClockTime(Duration.ofSeconds(61));
        frames.pipeInput(frame("cam-after", 0, 40, 24));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertEquals(List.of("0"), headerValues(masks.readRecordsToList(), "cam-after", HeaderNames.SEQ));
        assertEquals(1, stats.activeStreams());
        assertEquals(java.util.Set.of("cam-after", ActiveStreams.OTHER), stats.streamLabels());
        assertEquals(1001, stats.segmentedByStream().values().stream().mapToLong(Long::longValue).sum(),
                "the run summary's counts are kept");
    }

    @Test
    void aBatchIsCutBeforeItsPixelsGoOverTheBudget() {
        start(InputLimits.defaults().withMaxBatchPixels(2 * 40 * 24), 4);
        for (int seq = 0; seq < 4; seq++) {
            frames.pipeInput(frame("cam", seq, 40, 24));
        }
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertEquals(4, masks.readRecordsToList().size());
        assertEquals(2.0, stats.meanBatchSize(), 1e-9, "two frames a batch, not four");
    }

    @Test
    void framesOfManySizesWaitingForTheirBatchesHoldAtMostOneBatchOfPixels() {
        start(InputLimits.defaults().withMaxBatchPixels(6000), 4);
        for (int i = 0; i < 10; i++) {
            frames.pipeInput(frame("cam", i, 40 + 8 * i, 24)); // a size of its own each: no batch ever fills
        }
        // The batch timer never fired: the pixel bound ran the oldest partial batches as the others came in.
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7"), headerValues(masks.readRecordsToList(), "cam", HeaderNames.SEQ),
                "the last two (104x24 and 112x24, 5184 pixels) wait within the 6000");
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertEquals(List.of("8", "9"), headerValues(masks.readRecordsToList(), "cam", HeaderNames.SEQ));
    }

    /**
     * A restart restores the pending-frames store. Whatever it holds (a frame a stricter limit now refuses, an
     * unreadable entry), init() must not throw: a task that fails there fails again on every restart.
     */
    @Test
    void aRestartNeverFailsOnWhatThePendingFramesStoreHolds() {
        var limits = InputLimits.defaults().withMaxFramePixels(40 * 24);
        var streams = new ActiveStreams(limits, stream -> { });
        var stats = new SegmenterStats();
        var batcher = new FrameBatcher(model, 1, 0, 3000, InputSizing.NATIVE, limits, stats);
        var tooLargeNow = frame("cam", 0, 64, 36);
        var good = frame("cam", 1, 40, 24);
        // The frames topic as a restart finds it: offset 6 names no frame (its entry is damaged) and 8 was deleted.
        FrameReader topic = (partition, offsets) -> Map.of(
                5L, new StoredRecord(0, 5, 1L, "cam", tooLargeNow.headers(), tooLargeNow.value()),
                7L, new StoredRecord(0, 7, 2L, "cam", good.headers(), good.value()));
        var processor = new SegmentProcessor(() -> batcher, stats, "fcn8s-slim:0.2.0", model.descriptor().classes(),
                new FrameAdmission(limits, streams), streams, Duration.ofMillis(5), topic);
        var context = new org.apache.kafka.streams.processor.api.MockProcessorContext<String, TopicValue>();
        context.setCurrentSystemTimeMs(System.currentTimeMillis());
        var store = org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(SegmentProcessor.STORE),
                        org.apache.kafka.common.serialization.Serdes.Long(), org.apache.kafka.common.serialization.Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        store.put(5L, PendingPosition.encode(0));
        store.put(6L, new byte[] {9, 9, 9});
        store.put(7L, PendingPosition.encode(0));
        store.put(8L, PendingPosition.encode(0));

        processor.init(context);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(System.currentTimeMillis());

        var forwarded = context.forwarded();
        assertEquals(List.of(SegmentProcessor.TO_DEAD_LETTERS, SegmentProcessor.TO_MASKS, SegmentProcessor.TO_STATS,
                        SegmentProcessor.TO_DEAD_LETTERS),
                forwarded.stream().map(f -> f.childName().orElseThrow()).toList());
        assertTrue(((DeadLetter) forwarded.get(3).record().value()).error().contains("offset 8 is no longer on the frames topic"),
                "a frame retention deleted gets a dead letter");
        var dead = (DeadLetter) forwarded.get(0).record().value();
        assertEquals("frame of 64x36 is over the limit of 960 pixels", dead.error());
        assertEquals(new FramePosition(0, 5), dead.framePosition());
        assertEquals(new FramePosition(0, 7), ((Mask) forwarded.get(1).record().value()).framePosition());
        try (var left = store.all()) {
            assertFalse(left.hasNext(), "all four entries are gone: nothing to replay at the next restart");
        }
        processor.close();
    }

    private TestRecord<String, byte[]> onlyDeadLetter() {
        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(1, dead.size());
        TestRecord<String, byte[]> record = dead.get(0);
        assertFalse(header(record, HeaderNames.ERROR).contains("\n"), "one line");
        assertTrue(header(record, HeaderNames.ERROR).length() <= DeadLetters.MAX_REASON_CHARS + 40);
        return record;
    }

    /** Nothing of a refused record is in the pending-frames store: a restart has nothing of it to replay. */
    private void assertNothingPending() {
        try (var pending = driver.<Long, byte[]>getKeyValueStore(SegmentProcessor.STORE).all()) {
            assertFalse(pending.hasNext(), "the pending-frames store is empty");
        }
    }

    private void assertGoodFramesStillGetMasks() {
        for (int i = 0; i < 2; i++) {
            frames.pipeInput(frame("good", goodSeq++, 40, 24));
        }
        driver.advanceWallClockTime(Duration.ofMillis(10));
        List<String> seqs = headerValues(masks.readRecordsToList(), "good", HeaderNames.SEQ);
        assertEquals(List.of(String.valueOf(goodSeq - 2), String.valueOf(goodSeq - 1)), seqs);
        assertTrue(deadLetters.isEmpty());
    }

    static RecordHeaders identity(String stream, long seq, int width, int height) {
        var headers = new RecordHeaders();
        new FrameIdentity(stream, "s1", seq, seq * 40_000, System.currentTimeMillis(), width, height, 25, "jpeg", SourceKind.FILE)
                .writeTo(headers);
        return headers;
    }

    static long size(TestRecord<String, byte[]> record) {
        long bytes = (record.key() == null ? 0 : record.key().length()) + (record.value() == null ? 0 : record.value().length);
        for (Header h : record.headers().toArray()) {
            bytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return bytes;
    }

    /** What {@code action} wrote to standard error (where the test logger writes). */
    static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        var captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    static void assertArrayEquals(byte[] expected, byte[] actual, String message) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, message);
    }

    static BgrImage pattern(int width, int height) {
        byte[] px = new byte[width * height * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i * 31) ^ (i >> 7));
        }
        return new BgrImage(width, height, px);
    }

    static byte[] encode(BufferedImage image, String format) throws Exception {
        var bytes = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, bytes));
        return bytes.toByteArray();
    }
}
