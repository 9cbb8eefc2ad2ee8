package org.segstream.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.segstream.config.Settings;

/** Every record type through its topic's Serde, and the bytes on the wire as docs/topics.md documents them. */
class TopicSerdesTest {
    static final FrameIdentity FRAME = new FrameIdentity("cam1", "3f2a9c1e", 41, 1_640_000, 1_763_769_600_123L, 640, 360, 25.0,
            "jpeg", SourceKind.LIVE, 1_763_769_600_123L, null);
    static final FramePosition POSITION = new FramePosition(2, 1234);
    static final SegmenterTimes TIMES = new SegmenterTimes(1_763_769_600_130L, 1_763_769_600_210L);

    /** Writes {@code value} as its topic's producer would, then reads it back as its topic's consumer would. */
    static <V extends TopicValue> V roundTrip(Topic<V> topic, V value, Headers wire) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), wire, value);
        return topic.valueSerde().deserializer().deserialize(topic.name(), wire, bytes);
    }

    static Map<String, String> asText(Headers headers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Header h : headers) {
            out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void aFrameIsItsJpegWithItsIdentityAsUtf8Headers() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};
        var wire = new RecordHeaders();
        var frame = new Frame(FRAME, jpeg);

        assertEquals(frame, roundTrip(Topics.FRAMES, frame, wire));
        assertEquals(Map.ofEntries(Map.entry("segstream.kind", "frame"), Map.entry("segstream.stream", "cam1"),
                Map.entry("segstream.session", "3f2a9c1e"), Map.entry("segstream.seq", "41"), Map.entry("segstream.pts.us", "1640000"),
                Map.entry("segstream.capture.ms", "1763769600123"), Map.entry("segstream.ingest.ms", "1763769600123"),
                Map.entry("segstream.width", "640"), Map.entry("segstream.height", "360"), Map.entry("segstream.fps", "25.0"),
                Map.entry("segstream.encoding", "jpeg"), Map.entry("segstream.source.kind", "live")), asText(wire));
        assertArrayEquals(jpeg, Topics.FRAMES.valueSerde().serializer().serialize("t", new RecordHeaders(), frame), "the value is the JPEG");
    }

    @Test
    void aFileFrameCarriesItsSourceName() {
        var file = new FrameIdentity("dash", "s1", 0, 0, 5, 64, 36, 30, "jpeg", SourceKind.FILE, 7, "REC_0001.MP4");
        var wire = new RecordHeaders();
        assertEquals(new Frame(file, new byte[1]), roundTrip(Topics.FRAMES, new Frame(file, new byte[1]), wire));
        assertEquals("REC_0001.MP4", asText(wire).get("segstream.source"));
        assertEquals("file", asText(wire).get("segstream.source.kind"));
    }

    @Test
    void anEndRecordHasAnEmptyValueOnBothTopics() {
        var end = new StreamEnd("cam1", "3f2a9c1e", 120);
        for (Topic<?> topic : List.of(Topics.FRAMES, Topics.MASKS)) {
            var wire = new RecordHeaders();
            @SuppressWarnings("unchecked")
            var serde = (org.apache.kafka.common.serialization.Serde<TopicValue>) topic.valueSerde();
            byte[] value = serde.serializer().serialize(topic.name(), wire, end);
            assertEquals(0, value.length);
            assertEquals(Map.of("segstream.kind", "end", "segstream.stream", "cam1", "segstream.session", "3f2a9c1e", "segstream.seq", "120"),
                    asText(wire));
            assertEquals(end, serde.deserializer().deserialize(topic.name(), wire, value));
            assertEquals(end, serde.deserializer().deserialize(topic.name(), wire, (byte[]) null), "a null value reads as empty");
        }
    }

    @Test
    void aMaskKeepsItsFramesHeadersWithEncodingPngAndAddsWhereAndWhen() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        var mask = new Mask(FRAME, POSITION, "fcn8s-slim:0.2.0", TIMES, png);
        var wire = new RecordHeaders();
        wire.add("traceparent", "00-abc-01".getBytes(StandardCharsets.UTF_8)); // a header outside the contract stays

        assertEquals(mask, roundTrip(Topics.MASKS, mask, wire));
        Map<String, String> text = asText(wire);
        assertEquals("png", text.get("segstream.encoding"));
        assertEquals("frame", text.get("segstream.kind"));
        assertEquals("2", text.get("segstream.frame.partition"));
        assertEquals("1234", text.get("segstream.frame.offset"));
        assertEquals("fcn8s-slim:0.2.0", text.get("segstream.model"));
        assertEquals("1763769600130", text.get("segstream.segmenter.in.ms"));
        assertEquals("1763769600210", text.get("segstream.segmenter.out.ms"));
        assertEquals("00-abc-01", text.get("traceparent"));
        assertEquals("png", mask.frame().encoding());
    }

    @Test
    void aMaskOfAnOlderSegmenterHasUnknownTimesAndAnUnreadableTimeCostsNothing() {
        var wire = new RecordHeaders();
        Topics.MASKS.valueSerde().serializer().serialize("m", wire, new Mask(FRAME, POSITION, null, SegmenterTimes.UNKNOWN, new byte[0]));
        assertNull(wire.lastHeader(HeaderNames.SEGMENTER_IN_MS));
        assertNull(wire.lastHeader(HeaderNames.MODEL));
        HeaderValues.put(wire, HeaderNames.SEGMENTER_OUT_MS, "soon");
        var read = assertInstanceOf(Mask.class, Topics.MASKS.valueSerde().deserializer().deserialize("m", wire, new byte[0]));
        assertEquals(SegmenterTimes.UNKNOWN, read.times());
        assertNull(read.model());
    }

    @Test
    void aShedMarkerHasTheFramesIdentityKindShedAndTheReason() {
        var shed = new ShedMarker(FRAME, "deadline", POSITION, TIMES);
        var wire = new RecordHeaders();

        assertEquals(shed, roundTrip(Topics.MASKS, shed, wire));
        assertEquals(0, Topics.MASKS.valueSerde().serializer().serialize("m", new RecordHeaders(), shed).length);
        Map<String, String> text = asText(wire);
        assertEquals("shed", text.get("segstream.kind"));
        assertEquals("deadline", text.get("segstream.shed.reason"));
        assertEquals("jpeg", text.get("segstream.encoding"), "the shed frame's headers as they were");
        assertEquals("41", text.get("segstream.seq"));
    }

    @Test
    void statsAreTheDocumentedJsonWithTheMasksHeaders() {
        Map<String, Double> classes = new LinkedHashMap<>();
        classes.put("background", 0.912);
        classes.put("car", 0.061);
        classes.put("person", 0.027);
        var stats = new FrameStats(FRAME, POSITION, "fcn8s-slim:0.2.0", TIMES, classes);
        var wire = new RecordHeaders();
        byte[] json = Topics.STATS.valueSerde().serializer().serialize("s", wire, stats);

        // docs/topics.md, "Values", byte for byte
        assertEquals("{\"stream\":\"cam1\",\"session\":\"3f2a9c1e\",\"seq\":41,\"capture_ms\":1763769600123,\"ingest_ms\":1763769600123,"
                + "\"width\":640,\"height\":360,\"model\":\"fcn8s-slim:0.2.0\",\"classes\":{\"background\":0.912,\"car\":0.061,\"person\":0.027}}",
                new String(json, StandardCharsets.UTF_8));
        assertEquals("json", asText(wire).get("segstream.encoding"));
        assertEquals("1234", asText(wire).get("segstream.frame.offset"));
        assertEquals(stats, Topics.STATS.valueSerde().deserializer().deserialize("s", wire, json));
    }

    @Test
    void statsOfAMaskAreItsClassFractions() {
        var mask = new Mask(FRAME, POSITION, "m:1", TIMES, new byte[0]);
        var stats = FrameStats.of(mask, VocClasses.NAMES, new ClassMap(2, 2, new byte[] {0, 0, 0, 15}));
        assertEquals(Map.of("background", 0.75, "person", 0.25), stats.classes());
        assertEquals("json", stats.frame().encoding());
    }

    @Test
    void aDeadLetterKeepsTheValueTheReasonOnOneLineAndThePosition() {
        var letter = new DeadLetter("undecodable JPEG: Bogus marker", POSITION, new byte[] {1, 2});
        var wire = new RecordHeaders();
        assertEquals(letter, roundTrip(Topics.DEAD_LETTERS, letter, wire));
        assertEquals("undecodable JPEG: Bogus marker", asText(wire).get("segstream.error"));

        var forged = new RecordHeaders();
        byte[] value = Topics.DEAD_LETTERS.valueSerde().serializer().serialize("d", forged,
                new DeadLetter("bad key 'a\nb'" + "x".repeat(5000), POSITION, null));
        assertNull(value, "a dead letter too large to keep its value has none");
        String error = asText(forged).get("segstream.error");
        assertEquals(-1, error.indexOf('\n'));
        assertEquals(true, error.startsWith("bad key 'a\\nb'xxx") && error.length() < 1100, error);

        var bare = Topics.DEAD_LETTERS.valueSerde().deserializer().deserialize("d", new RecordHeaders(), (byte[]) null);
        assertEquals(new DeadLetter(null, null, null), bare, "read as found");
    }

    @Test
    void theRegistryNamesEachTopicItsSerdesAndItsDocumentedConfig() {
        assertEquals("segstream.frames", Topics.FRAMES.name());
        assertEquals("segstream.dead-letters", Topics.DEAD_LETTERS.name());
        assertEquals(9 * 1024 * 1024, Topics.MASKS.maxMessageBytes());
        assertEquals(3_600_000L, Topics.FRAMES.retentionMs());
        assertEquals(2L << 30, Topics.MASKS.retentionBytes());
        assertEquals(256L << 20, Topics.STATS.retentionBytes());
        assertEquals(7 * 86_400_000L, Topics.DEAD_LETTERS.retentionMs());
        assertEquals("cam1", Topics.FRAMES.keySerde().deserializer().deserialize("t", "cam1".getBytes(StandardCharsets.UTF_8)));

        var renamed = Topics.from(Settings.of(Map.of("SEGSTREAM_MASKS_TOPIC", "site-a.masks")));
        assertEquals("site-a.masks", renamed.masks());
        assertEquals("site-a.masks", renamed.nameOf(Topics.MASKS));
        assertEquals("segstream.frames", renamed.nameOf(Topics.FRAMES));
        assertEquals(Topics.defaults(), Topics.from(Settings.of(Map.of())));
    }

    @Test
    void recordsAreWrittenAndReadWithTheirHeadersOnly() {
        var serializer = Topics.FRAMES.valueSerde().serializer();
        assertThrows(UnsupportedOperationException.class, () -> serializer.serialize("t", new Frame(FRAME, new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> serializer.serialize("t", new RecordHeaders(),
                new Unreadable("x", null, null, null)));
    }
}
