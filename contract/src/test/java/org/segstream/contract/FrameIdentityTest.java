package org.segstream.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class FrameIdentityTest {

    private final FrameIdentity frame =
            new FrameIdentity("cam-1", "s42", 7, 280_000, 1_700_000_000_123L, 641, 359, 25.0, "jpeg", SourceKind.FILE);

    @Test
    void headersRoundTripAsPlainUtf8Strings() {
        var headers = new RecordHeaders();
        frame.writeTo(headers);

        assertEquals(frame, FrameIdentity.readFrom(headers));
        assertEquals("7", new String(headers.lastHeader(Headers.SEQ).value(), StandardCharsets.UTF_8));
        assertEquals("frame", new String(headers.lastHeader(Headers.KIND).value(), StandardCharsets.UTF_8));
        assertEquals(RecordKind.FRAME, StreamEnd.kindOf(headers));
    }

    @Test
    void missingHeaderIsNamed() {
        var headers = new RecordHeaders();
        frame.writeTo(headers);
        headers.remove(Headers.WIDTH);

        var error = assertThrows(BadRecordException.class, () -> FrameIdentity.readFrom(headers));
        assertEquals("missing header " + Headers.WIDTH, error.getMessage());
    }

    @Test
    void badNumberAndHugeSizeAreRefused() {
        var headers = new RecordHeaders();
        frame.writeTo(headers);
        Headers.put(headers, Headers.SEQ, "seven");
        assertTrue(assertThrows(BadRecordException.class, () -> FrameIdentity.readFrom(headers))
                .getMessage().contains(Headers.SEQ));

        frame.writeTo(headers);
        Headers.put(headers, Headers.WIDTH, 100_000);
        assertTrue(assertThrows(BadRecordException.class, () -> FrameIdentity.readFrom(headers))
                .getMessage().contains("100000x359"));
    }

    @Test
    void endOfStreamRoundTrips() {
        var headers = new RecordHeaders();
        new StreamEnd("cam-1", "s42", 120).writeTo(headers);

        assertEquals(RecordKind.END, StreamEnd.kindOf(headers));
        assertEquals(new StreamEnd("cam-1", "s42", 120), StreamEnd.readFrom(headers));
    }
}
