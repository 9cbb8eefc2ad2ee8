package org.segstream.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Records built to hurt a reader: each reads as {@link Unreadable} with a reason that names the header
 * and echoes the value capped and escaped, never as an exception out of the deserializer.
 */
class HostileHeadersTest {
    static final FrameIdentity FRAME =
            new FrameIdentity("cam-1", "s42", 7, 280_000, 1_700_000_000_123L, 640, 360, 25.0, "jpeg", SourceKind.LIVE);

    static RecordHeaders frameHeaders() {
        var headers = new RecordHeaders();
        FRAME.writeTo(headers);
        return headers;
    }

    static Unreadable readFrame(RecordHeaders headers, byte[] value) {
        return assertInstanceOf(Unreadable.class, Topics.FRAMES.valueSerde().deserializer().deserialize("f", headers, value));
    }

    static Unreadable readFrame(RecordHeaders headers) {
        return readFrame(headers, new byte[16]);
    }

    @Test
    void aMissingHeaderIsNamed() {
        var headers = frameHeaders();
        headers.remove(HeaderNames.WIDTH);
        var unreadable = readFrame(headers);
        assertEquals("missing header segstream.width", unreadable.reason());
        assertEquals("cam-1", unreadable.stream(), "what could be read, for labels");
        assertEquals(RecordKind.FRAME, unreadable.kind());

        assertEquals("missing header segstream.kind", readFrame(new RecordHeaders()).reason());
    }

    @Test
    void anOversizeHeaderIsRefusedBeforeItIsParsedOrEchoed() {
        var headers = frameHeaders();
        HeaderValues.put(headers, HeaderNames.SEQ, "9".repeat(4_800_000));
        var unreadable = readFrame(headers);
        assertEquals("header segstream.seq is 4800000 bytes, over the limit of 1024", unreadable.reason());

        var longName = frameHeaders();
        longName.add("n".repeat(5000), new byte[1]);
        assertTrue(readFrame(longName).reason().startsWith("a header name of 5000 bytes ('nnnn"), readFrame(longName).reason());
        assertTrue(readFrame(longName).reason().length() < 200);

        var many = frameHeaders();
        for (int i = 0; i < 60; i++) {
            many.add("x-" + i, new byte[0]);
        }
        assertEquals("71 headers, over the limit of 64", readFrame(many).reason());

        var huge = readFrame(frameHeaders(), new byte[RecordLimits.FRAMES.maxValueBytes() + 1]);
        assertEquals("value of 9175041 bytes is over the limit of 9175040", huge.reason());
    }

    @Test
    void aHeaderThatIsNotUtf8IsRefusedAndNotLabelled() {
        var headers = frameHeaders();
        headers.remove(HeaderNames.STREAM);
        headers.add(HeaderNames.STREAM, new byte[] {(byte) 0xC3, (byte) 0x28});
        var unreadable = readFrame(headers);
        assertEquals("header segstream.stream is not UTF-8 (2 bytes)", unreadable.reason());
        assertNull(unreadable.stream(), "no replacement characters pass for a stream id");
    }

    @Test
    void negativeAndMalformedNumbersAreRefusedWithTheValueEscaped() {
        var negative = frameHeaders();
        HeaderValues.put(negative, HeaderNames.SEQ, -1);
        assertEquals("sequence number -1 is negative", readFrame(negative).reason());

        var forged = frameHeaders();
        HeaderValues.put(forged, HeaderNames.SEQ, "7\n01:02:03 INFO forged");
        assertEquals("header segstream.seq is '7\\n01:02:03 INFO forged', expected an integer", readFrame(forged).reason());

        var wrapped = frameHeaders();
        HeaderValues.put(wrapped, HeaderNames.WIDTH, -4_294_967_295L); // an int cast would read 1
        assertEquals("frame size -2147483648x360 is outside 1..16384", readFrame(wrapped).reason());

        var fps = frameHeaders();
        HeaderValues.put(fps, HeaderNames.FPS, "x".repeat(500));
        String reason = readFrame(fps).reason();
        assertTrue(reason.startsWith("header segstream.fps is 'xxx") && reason.endsWith("(500 characters)', expected a number"), reason);
        assertTrue(reason.length() < 300, reason);
    }

    @Test
    void unknownKindsAndKindsOfAnotherTopicAreRefused() {
        var unknown = frameHeaders();
        HeaderValues.put(unknown, HeaderNames.KIND, "mask");
        assertEquals("header segstream.kind is 'mask', expected 'frame', 'end' or 'shed'", readFrame(unknown).reason());
        assertNull(readFrame(unknown).kind());

        var shed = frameHeaders();
        HeaderValues.put(shed, HeaderNames.KIND, "shed");
        assertEquals("a record of kind 'shed' does not belong on the frames topic", readFrame(shed).reason());

        var end = new RecordHeaders();
        new StreamEnd("cam-1", "s42", 3).writeTo(end);
        HeaderValues.put(end, HeaderNames.SEQ, -3);
        assertEquals("end record's frame count -3 is negative", readFrame(end).reason());

        var sourceKind = frameHeaders();
        HeaderValues.put(sourceKind, HeaderNames.SOURCE_KIND, "stream");
        assertEquals("header segstream.source.kind is 'stream', expected 'file' or 'live'", readFrame(sourceKind).reason());
    }

    @Test
    void aMaskWithoutItsFramesPositionIsRefused() {
        var headers = frameHeaders();
        var unreadable = assertInstanceOf(Unreadable.class,
                Topics.MASKS.valueSerde().deserializer().deserialize("m", headers, new byte[4]));
        assertEquals("missing header segstream.frame.partition", unreadable.reason());

        HeaderValues.put(headers, HeaderNames.KIND, RecordKind.SHED.wire());
        new FramePosition(0, 5).writeTo(headers);
        var shed = assertInstanceOf(Unreadable.class, Topics.MASKS.valueSerde().deserializer().deserialize("m", headers, (byte[]) null));
        assertEquals("missing header segstream.shed.reason", shed.reason());
        assertEquals(RecordKind.SHED, shed.kind());
    }

    @Test
    void aPositionNoFrameCanHaveIsReadAsWrittenForTheReaderToRefuse() {
        var headers = frameHeaders();
        headers.remove(HeaderNames.ENCODING);
        HeaderValues.put(headers, HeaderNames.ENCODING, "png");
        HeaderValues.put(headers, HeaderNames.FRAME_PARTITION, 99_999_999_999L);
        HeaderValues.put(headers, HeaderNames.FRAME_OFFSET, -5);
        var mask = assertInstanceOf(Mask.class, Topics.MASKS.valueSerde().deserializer().deserialize("m", headers, new byte[4]));
        assertEquals(new FramePosition(Integer.MAX_VALUE, -5), mask.framePosition());
    }

    @Test
    void aBadStatsRecordFailsTheReadWithItsReason() {
        var headers = frameHeaders();
        new FramePosition(0, 1).writeTo(headers);
        var error = assertThrows(SerializationException.class,
                () -> Topics.STATS.valueSerde().deserializer().deserialize("s", headers, "[1,2]".getBytes(StandardCharsets.UTF_8)));
        assertEquals("unreadable stats record: stats value has no \"classes\" object", error.getMessage());
    }
}
