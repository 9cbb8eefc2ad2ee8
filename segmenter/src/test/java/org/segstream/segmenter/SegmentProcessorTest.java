package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.segstream.segmenter.SegmenterTopologyTest.end;
import static org.segstream.segmenter.SegmenterTopologyTest.header;
import static org.segstream.segmenter.SegmenterTopologyTest.headerValues;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramePosition;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.Mask;
import org.segstream.contract.MaskPng;
import org.segstream.contract.SourceKind;
import org.segstream.contract.TopicSerdes;
import org.segstream.contract.TopicValue;
import org.segstream.segmenter.model.InferenceModel;

/**
 * The segment processor on a {@link FakeModel} (no ONNX): what it forwards and in which order, shed markers and
 * dead letters in a stream's place, and a restart that reads the pending frames again by their positions.
 */
class SegmentProcessorTest {
    private static final Path NO_MODEL_FILE = FakeModel.DESCRIPTOR.descriptorFile();
    private static final byte BRIGHT = (byte) 255;
    private static final byte DARK = 0;

    private TopologyFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private TopologyFixture start(InferenceModel model, int batchSize, long maxWaitMs) {
        fixture = TopologyFixture.start(TopologyFixture.config(NO_MODEL_FILE, batchSize, maxWaitMs), model, FakeModel.DESCRIPTOR);
        return fixture;
    }

    @Test
    void eachStreamsOutputsComeInArrivalOrderWithTheModelsMasks() {
        var model = FakeModel.instant();
        var t = start(model, 3, 1000);
        for (int seq = 0; seq < 4; seq++) {
            t.frames.pipeInput(frame("file", seq, SourceKind.FILE, seq % 2 == 0 ? BRIGHT : DARK, System.currentTimeMillis()));
            t.frames.pipeInput(frame("cam", seq, SourceKind.LIVE, BRIGHT, System.currentTimeMillis()));
        }
        t.frames.pipeInput(end("file", 4));
        t.frames.pipeInput(end("cam", 4));
        t.driver.advanceWallClockTime(Duration.ofSeconds(2));

        List<TestRecord<String, byte[]>> out = t.masks.readRecordsToList();
        assertEquals(List.of("0", "1", "2", "3", "4"), headerValues(out, "file", HeaderNames.SEQ));
        assertEquals(List.of("0", "1", "2", "3", "4"), headerValues(out, "cam", HeaderNames.SEQ));
        assertEquals(List.of("frame", "frame", "frame", "frame", "end"), headerValues(out, "file", HeaderNames.KIND));
        List<TestRecord<String, byte[]>> fileMasks = out.stream().filter(r -> r.key().equals("file") && header(r, HeaderNames.KIND).equals("frame")).toList();
        for (TestRecord<String, byte[]> mask : fileMasks) {
            int expected = Integer.parseInt(header(mask, HeaderNames.SEQ)) % 2 == 0 ? 1 : 0;
            assertEquals(expected, MaskPng.decode(mask.value()).classAt(5, 5), "the fake model's mask of the frame");
            assertEquals("fake:1.0", header(mask, HeaderNames.MODEL));
        }
        assertEquals(8, t.statsTopic.readRecordsToList().size(), "one stats record a mask");
        assertEquals(8, model.batches().stream().mapToInt(Integer::intValue).sum(), "every frame segmented once");
        assertEmpty(t.pendingFrames());
    }

    @Test
    void aShedLiveFrameGetsAMarkerInItsPlaceAndTheStreamGoesOn() {
        var t = start(FakeModel.instant(), 1, 0);
        long now = System.currentTimeMillis();
        t.frames.pipeInput(frame("cam", 0, SourceKind.LIVE, BRIGHT, now));
        t.frames.pipeInput(frame("cam", 1, SourceKind.LIVE, BRIGHT, now - 60_000)); // already past its age
        t.frames.pipeInput(frame("cam", 2, SourceKind.LIVE, BRIGHT, now));
        t.frames.pipeInput(end("cam", 3));
        t.driver.advanceWallClockTime(Duration.ofMillis(50));

        List<TestRecord<String, byte[]>> out = t.masks.readRecordsToList();
        assertEquals(List.of("0", "1", "2", "3"), headerValues(out, "cam", HeaderNames.SEQ));
        assertEquals(List.of("frame", "shed", "frame", "end"), headerValues(out, "cam", HeaderNames.KIND));
        assertEquals(LiveShedding.STALE, header(out.get(1), HeaderNames.SHED_REASON));
        assertEquals("1", header(out.get(1), HeaderNames.FRAME_OFFSET));
        assertEquals(Map.of("cam/stale", 1L), t.stats.droppedByStreamAndReason());
        assertEmpty(t.pendingFrames());
    }

    @Test
    void aFailedBatchEndsInDeadLettersAndTheEndMarkerStillFollows() {
        InferenceModel failing = (nhwc, n, height, width, releaseMemory) -> {
            throw new IllegalStateException("the device is gone");
        };
        var t = start(failing, 2, 0);
        t.frames.pipeInput(frame("file", 0, SourceKind.FILE, BRIGHT, System.currentTimeMillis()));
        t.frames.pipeInput(frame("file", 1, SourceKind.FILE, BRIGHT, System.currentTimeMillis()));
        t.frames.pipeInput(end("file", 2));
        t.driver.advanceWallClockTime(Duration.ofMillis(50));

        List<TestRecord<String, byte[]>> dead = t.deadLetters.readRecordsToList();
        assertEquals(List.of("0", "1"), headerValues(dead, "file", HeaderNames.FRAME_OFFSET));
        assertTrue(header(dead.get(0), HeaderNames.ERROR).contains("the device is gone"), header(dead.get(0), HeaderNames.ERROR));
        assertEquals(List.of("end"), headerValues(t.masks.readRecordsToList(), "file", HeaderNames.KIND));
        assertEquals(Map.of("inference", 2L), t.stats.deadLettersByReason());
        assertEmpty(t.pendingFrames());
    }

    /**
     * A task killed with frames pending: its store holds their positions only. The next owner of the task reads them
     * again from the frames topic (a MockConsumer here, behind the same reader the service uses) and segments them, in order.
     */
    @Test
    void aRestartReadsThePendingFramesAgainByTheirPositionsAndSegmentsThemInOrder() {
        var t = start(FakeModel.instant(), 4, 60_000);
        List<TestRecord<String, byte[]>> sent = new ArrayList<>();
        for (int seq = 0; seq < 3; seq++) {
            sent.add(frame("file", seq, SourceKind.FILE, seq == 1 ? DARK : BRIGHT, System.currentTimeMillis()));
            t.frames.pipeInput(sent.get(seq));
        }
        assertTrue(t.masks.isEmpty(), "a partial batch waits");
        List<KeyValue<Long, byte[]>> positions = new ArrayList<>();
        t.pendingFrames().all().forEachRemaining(positions::add);
        assertEquals(List.of(0L, 1L, 2L), positions.stream().map(kv -> kv.key).toList());
        assertTrue(positions.stream().allMatch(kv -> kv.value.length == 5), "a position, not the frame");
        t.close();
        fixture = null;

        var restarted = new TaskOnMockContext(topicHolding(sent));
        positions.forEach(kv -> restarted.store.put(kv.key, kv.value));
        List<TopicValue> out = restarted.initAndTick();

        assertEquals(List.of(0L, 1L, 2L), out.stream().map(v -> ((Mask) v).framePosition().offset()).toList());
        assertEquals(List.of(0L, 1L, 2L), out.stream().map(v -> ((Mask) v).frame().seq()).toList());
        ClassMap darkMask = MaskPng.decode(((Mask) out.get(1)).png());
        assertEquals(0, darkMask.classAt(3, 3), "segmented from the frame read again");
        assertEmpty(restarted.store);
    }

    @Test
    void aFreshFileFramesMaskIsCommittedAtOnceABacklogsWaitsForTheCommitInterval() {
        long now = System.currentTimeMillis();
        TaskOnMockContext fresh = fourFramesBesideAWaitingOne(now);
        assertTrue(fresh.context.committed(), "masks of frames read a moment ago: a commit asked for at once");
        TaskOnMockContext backlog = fourFramesBesideAWaitingOne(now - 10_000);
        assertFalse(backlog.context.committed(), "masks of a backlog read 10 s ago wait for the commit interval");
    }

    /**
     * Four file frames read at {@code readMs}, a batch that runs at the fourth; before it, a frame of another size
     * that waits for company, so the thread is not idle when the batch's masks are forwarded.
     */
    private static TaskOnMockContext fourFramesBesideAWaitingOne(long readMs) {
        var task = new TaskOnMockContext(FrameReader.none(), 60_000);
        task.processor.init(task.context);
        for (int seq = 0; seq < 3; seq++) {
            task.process(seq, frame("file", seq, SourceKind.FILE, 16, BRIGHT, readMs));
        }
        task.process(3, frame("other", 0, SourceKind.FILE, 32, BRIGHT, System.currentTimeMillis() - 10_000));
        task.process(4, frame("file", 3, SourceKind.FILE, 16, BRIGHT, readMs));
        assertEquals(4, task.masks().size(), "the full batch ran");
        assertEquals(1, task.batcher.waitingFrames(), "the other size's frame waits");
        return task;
    }

    /** One task's processor on a mock context and the fake model; its store may start with what a previous owner left. */
    private static final class TaskOnMockContext {
        final MockProcessorContext<String, TopicValue> context = new MockProcessorContext<>();
        final KeyValueStore<Long, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SegmentProcessor.STORE),
                Serdes.Long(), Serdes.ByteArray()).withLoggingDisabled().build();
        final FrameBatcher batcher;
        final SegmentProcessor processor;

        TaskOnMockContext(FrameReader reader) {
            this(reader, 0);
        }

        /** {@code maxWaitMs}: how long a partial batch waits (batches of 4, inference inline). */
        TaskOnMockContext(FrameReader reader, long maxWaitMs) {
            var limits = InputLimits.defaults();
            var streams = new ActiveStreams(limits, stream -> { });
            var stats = new SegmenterStats();
            batcher = new FrameBatcher(FakeModel.instant(), 4, maxWaitMs, 3000, InputSizing.NATIVE, limits, stats);
            processor = new SegmentProcessor(() -> batcher, stats, FakeModel.DESCRIPTOR.label(), FakeModel.DESCRIPTOR.classes(),
                    new FrameAdmission(limits, streams), streams, Duration.ofMillis(5), reader);
            context.setCurrentSystemTimeMs(System.currentTimeMillis());
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }

        /** The values forwarded to the masks topic after init() and one tick. */
        List<TopicValue> initAndTick() {
            processor.init(context);
            context.scheduledPunctuators().get(0).getPunctuator().punctuate(System.currentTimeMillis());
            List<TopicValue> masks = masks();
            processor.close();
            return masks;
        }

        /** Hands {@code record} to the processor as if read at {@code offset} of partition 0. */
        void process(long offset, TestRecord<String, byte[]> record) {
            context.setRecordMetadata(TopologyFixture.TOPICS.frames(), 0, offset);
            FramesTopicRecord value = TopicSerdes.frames().deserializer().deserialize(TopologyFixture.TOPICS.frames(), record.headers(), record.value());
            processor.process(new Record<>(record.key(), value, record.timestamp() == null ? 0L : record.timestamp(), record.headers()));
        }

        /** The values forwarded to the masks topic so far. */
        List<TopicValue> masks() {
            return context.forwarded().stream().filter(f -> f.childName().equals(Optional.of(SegmentProcessor.TO_MASKS)))
                    .<TopicValue>map(f -> f.record().value()).toList();
        }
    }

    /** The frames topic's partition 0 holding {@code records} at offsets 0, 1, ..., read through a MockConsumer. */
    private static FrameReader topicHolding(List<TestRecord<String, byte[]>> records) {
        String topic = TopologyFixture.TOPICS.frames();
        var partition = new TopicPartition(topic, 0);
        return new KafkaFrameReader(topic, () -> {
            var consumer = new MockConsumer<String, byte[]>("earliest");
            consumer.updateBeginningOffsets(Map.of(partition, 0L));
            consumer.updateEndOffsets(Map.of(partition, (long) records.size()));
            consumer.schedulePollTask(() -> {
                for (int offset = 0; offset < records.size(); offset++) {
                    TestRecord<String, byte[]> r = records.get(offset);
                    consumer.addRecord(new ConsumerRecord<>(topic, 0, offset, r.timestamp() == null ? 0L : r.timestamp(),
                            TimestampType.CREATE_TIME, -1, r.value().length, r.key(), r.value(), r.headers(), Optional.empty()));
                }
            });
            return consumer;
        });
    }

    private static void assertEmpty(KeyValueStore<Long, byte[]> store) {
        try (var left = store.all()) {
            assertFalse(left.hasNext(), "nothing left in the pending-frames store");
        }
    }

    /** A 16x8 frame of one colour: its blue value decides the fake model's class everywhere. */
    static TestRecord<String, byte[]> frame(String stream, long seq, SourceKind kind, byte blue, long captureMs) {
        return frame(stream, seq, kind, 16, blue, captureMs, null);
    }

    /** A {@code width}x8 frame of one colour, its record stamped with its capture time (as ingest stamps it). */
    static TestRecord<String, byte[]> frame(String stream, long seq, SourceKind kind, int width, byte blue, long captureMs) {
        return frame(stream, seq, kind, width, blue, captureMs, captureMs);
    }

    private static TestRecord<String, byte[]> frame(String stream, long seq, SourceKind kind, int width, byte blue, long captureMs,
                                                    Long recordTimestamp) {
        byte[] px = new byte[width * 8 * 3];
        Arrays.fill(px, blue);
        var headers = new RecordHeaders();
        new FrameIdentity(stream, "s1", seq, seq * 40_000, captureMs, width, 8, 25.0, "jpeg", kind).writeTo(headers);
        return new TestRecord<>(stream, JpegCodec.encode(new BgrImage(width, 8, px), 90), headers, recordTimestamp);
    }
}
