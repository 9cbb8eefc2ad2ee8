package org.segstream.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.segstream.contract.ClassMap;
import org.segstream.contract.DeadLetter;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.MaskPng;
import org.segstream.contract.MasksTopicRecord;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topic;
import org.segstream.contract.TopicValue;
import org.segstream.contract.Topics;

class DeliveryLedgerTest {
    static final long T0 = 1_763_769_600_000L;

    @Test
    void countsDuplicatesGapsDeadLettersAndLatency() {
        var ledger = new DeliveryLedger();
        for (int seq = 0; seq < 5; seq++) {
            ledger.frame(frame("cam", seq, SourceKind.FILE, seq));
        }
        ledger.frame(end("cam", 5, 5));
        ledger.frame(poison(6));
        ledger.mask(mask("cam", 0, 0, T0 + 100), 0);
        ledger.mask(mask("cam", 1, 1, T0 + 140), 0);
        ledger.mask(mask("cam", 1, 1, T0 + 160), 0); // the same frame twice
        ledger.mask(mask("cam", 3, 3, T0 + 200), 0);
        ledger.deadLetter(deadLetter(2, "undecodable JPEG: Bogus marker length"));
        assertFalse(ledger.settled(s -> true), "no end record on the masks topic yet, the poison record not dead-lettered");
        ledger.deadLetter(deadLetter(6, "missing header segstream.kind"));
        ledger.mask(maskEnd("cam", 5), 0);
        assertTrue(ledger.settled(s -> true));

        DeliveryReport report = ledger.report(s -> true);
        assertEquals(6, report.framesIn(), "5 frames and 1 poison record; end records are not frames");
        assertEquals(1, report.unidentifiedIn());
        assertEquals(4, report.masksOut());
        assertEquals(1, report.duplicates());
        assertEquals(1, report.missingFile(), "seq 4: neither mask nor dead letter");
        assertEquals(1, report.gaps());
        assertEquals(Map.of("undecodable JPEG", 1L, "missing header segstream.kind", 1L), report.deadLettersByReason());
        assertEquals(0, report.unfinishedSessions());
        assertFalse(report.exactlyOnce());
        // latencies 100, 140, 160, 200 ms after capture at T0 + seq ms: 100, 139, 159, 197
        assertEquals(139, report.latency().p50Ms());
        assertEquals(197, report.latency().p99Ms());
        assertEquals(T0 + 140, ledger.firstMaskAfter(T0 + 100, s -> true).getAsLong());
    }

    @Test
    void aShedMarkerAccountsForItsLiveFrame() {
        var ledger = new DeliveryLedger();
        for (int seq = 0; seq < 4; seq++) {
            ledger.frame(frame("cam", seq, SourceKind.LIVE, seq));
        }
        ledger.mask(mask("cam", 0, 0, T0 + 50), 0);
        ledger.mask(mask("cam", 3, 3, T0 + 60), 0);
        assertEquals(2, ledger.report(s -> true).gaps());
        ledger.mask(shed("cam", 1, 1, "deadline"), 0);
        ledger.mask(shed("cam", 2, 2, "overload"), 0);
        DeliveryReport counted = ledger.report(s -> true);
        assertEquals(0, counted.gaps());
        assertEquals(2, counted.masksOut(), "a marker is not a mask");
        assertEquals(Map.of("deadline", 1L, "overload", 1L), counted.shedByReason());
        assertTrue(counted.exactlyOnce());
    }

    @Test
    void aMaskOfTheWrongSizeOrOutOfOrderIsCounted() {
        var ledger = new DeliveryLedger();
        ledger.frame(frame("cam", 0, SourceKind.FILE, 0));
        ledger.frame(frame("cam", 1, SourceKind.FILE, 1));
        ledger.mask(mask("cam", 1, 1, T0), 0);
        var wrong = read(Topics.MASKS, new ConsumerRecord<>("masks", 0, 1, T0, TimestampType.LOG_APPEND_TIME, 0, 0, "cam",
                MaskPng.encode(new ClassMap(8, 8, new byte[64])), maskHeaders("cam", 0, 0), Optional.empty()));
        ledger.mask(wrong, 0);
        DeliveryReport report = ledger.report(s -> true);
        assertEquals(1, report.outOfOrder());
        assertEquals(1, report.wrongSize());
        assertEquals(List.of("16x8"), report.maskSizes(), "sizes as the headers give them");
    }

    @Test
    void reasonsLoseTheirParticulars() {
        assertEquals("undecodable JPEG", DeliveryLedger.reasonOf("undecodable JPEG: Bogus marker"));
        assertEquals("frame of NxN is larger than N pixels", DeliveryLedger.reasonOf("frame of 9000x9000 is larger than 33177600 pixels"));
        assertEquals("(no reason)", DeliveryLedger.reasonOf(null));
    }

    /** {@code raw} as the verifier's consumer of {@code topic} reads it: through the topic's Serde. */
    private static <V extends TopicValue> ConsumerRecord<String, V> read(Topic<V> topic, ConsumerRecord<String, byte[]> raw) {
        V value = topic.valueSerde().deserializer().deserialize(raw.topic(), raw.headers(), raw.value());
        return new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(), raw.timestampType(),
                raw.serializedKeySize(), raw.serializedValueSize(), raw.key(), value, raw.headers(), raw.leaderEpoch());
    }

    private static ConsumerRecord<String, FramesTopicRecord> frame(String stream, long seq, SourceKind kind, long offset) {
        var headers = new RecordHeaders();
        new FrameIdentity(stream, "s1", seq, seq * 100_000, T0 + seq, 16, 8, 10, "jpeg", kind).writeTo(headers);
        return read(Topics.FRAMES, new ConsumerRecord<>("frames", 0, offset, T0, TimestampType.CREATE_TIME, 0, 0, stream, new byte[1], headers, Optional.empty()));
    }

    private static ConsumerRecord<String, FramesTopicRecord> end(String stream, long frames, long offset) {
        var headers = new RecordHeaders();
        new StreamEnd(stream, "s1", frames).writeTo(headers);
        return read(Topics.FRAMES, new ConsumerRecord<>("frames", 0, offset, T0, TimestampType.CREATE_TIME, 0, 0, stream, new byte[0], headers, Optional.empty()));
    }

    private static ConsumerRecord<String, FramesTopicRecord> poison(long offset) {
        return read(Topics.FRAMES, new ConsumerRecord<>("frames", 0, offset, T0, TimestampType.CREATE_TIME, 0, 0, "cam", new byte[] {1, 2, 3},
                new RecordHeaders(), Optional.empty()));
    }

    private static RecordHeaders maskHeaders(String stream, long seq, long frameOffset) {
        var headers = new RecordHeaders();
        new FrameIdentity(stream, "s1", seq, seq * 100_000, T0 + seq, 16, 8, 10, "png", SourceKind.FILE).writeTo(headers);
        HeaderValues.put(headers, HeaderNames.FRAME_PARTITION, 0);
        HeaderValues.put(headers, HeaderNames.FRAME_OFFSET, frameOffset);
        return headers;
    }

    private static ConsumerRecord<String, MasksTopicRecord> mask(String stream, long seq, long frameOffset, long appendedMs) {
        return read(Topics.MASKS, new ConsumerRecord<>("masks", 0, seq, appendedMs, TimestampType.LOG_APPEND_TIME, 0, 0, stream,
                MaskPng.encode(new ClassMap(16, 8, new byte[128])), maskHeaders(stream, seq, frameOffset), Optional.empty()));
    }

    private static ConsumerRecord<String, MasksTopicRecord> shed(String stream, long seq, long frameOffset, String reason) {
        RecordHeaders headers = maskHeaders(stream, seq, frameOffset);
        HeaderValues.put(headers, HeaderNames.KIND, "shed");
        HeaderValues.put(headers, HeaderNames.SHED_REASON, reason);
        return read(Topics.MASKS, new ConsumerRecord<>("masks", 0, 50 + seq, T0, TimestampType.LOG_APPEND_TIME, 0, 0, stream, new byte[0], headers,
                Optional.empty()));
    }

    private static ConsumerRecord<String, MasksTopicRecord> maskEnd(String stream, long frames) {
        var headers = new RecordHeaders();
        new StreamEnd(stream, "s1", frames).writeTo(headers);
        return read(Topics.MASKS, new ConsumerRecord<>("masks", 0, 99, T0, TimestampType.LOG_APPEND_TIME, 0, 0, stream, new byte[0], headers, Optional.empty()));
    }

    private static ConsumerRecord<String, DeadLetter> deadLetter(long frameOffset, String error) {
        var headers = new RecordHeaders();
        HeaderValues.put(headers, HeaderNames.ERROR, error);
        HeaderValues.put(headers, HeaderNames.FRAME_PARTITION, 0);
        HeaderValues.put(headers, HeaderNames.FRAME_OFFSET, frameOffset);
        return read(Topics.DEAD_LETTERS, new ConsumerRecord<>("dead", 0, frameOffset, T0, TimestampType.CREATE_TIME, 0, 0, "cam", new byte[0], headers, Optional.empty()));
    }
}
