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
        assertEquals("7", new String(headers.lastHeader(HeaderNames.SEQ).value(), StandardCharsets.UTF_8));
        assertEquals("frame", new String(headers.lastHeader(HeaderNames.KIND).value(), StandardCharsets.UTF_8));
        assertEquals(RecordKind.FRAME, StreamEnd.kindOf(headers));
    }

    @Test
    void missingHeaderIsNamed() {
        var headers = new RecordHeaders();
        frame.writeTo(headers);
        headers.remove(HeaderNames.WIDTH);

        var error = assertThrows(BadRecordException.class, () -> FrameIdentity.readFrom(headers));
        assertEquals("missing header " + HeaderNames.WIDTH, error.getMessage());
    }

    @Test
    void badNumberAndHugeSizeAreRefused() {
        var headers = new RecordHeaders();
        frame.writeTo(headers);
        HeaderValues.put(headers, HeaderNames.SEQ, "seven");
        assertTrue(assertThrows(BadRecordException.class, () -> FrameIdentity.readFrom(headers))
                .getMessage().contains(HeaderNames.SEQ));

        frame.writeTo(headers);
        HeaderValues.put(headers, HeaderNames.WIDTH, 100_000);
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

    @Test
    void latencyIsMeasuredFromTheIngestTimeWhenTheRecordHasOne() {
        var recorded = new FrameIdentity("dash", "s1", 0, 40_000, 1_714_552_200_040L, 640, 360, 25.0, "jpeg", SourceKind.FILE,
                1_763_769_600_123L);
        var headers = new RecordHeaders();
        recorded.writeTo(headers);
        assertEquals("1763769600123", new String(headers.lastHeader(HeaderNames.INGEST_MS).value(), StandardCharsets.UTF_8));
        assertEquals(recorded, FrameIdentity.readFrom(headers));
        assertEquals(1_763_769_600_123L, recorded.latencyOriginMs(), "not the recording's age");
        assertEquals(recorded, FrameIdentity.readFrom(headers).withEncoding("png").withEncoding("jpeg"));

        var older = new RecordHeaders();
        frame.writeTo(older);
        assertEquals(null, older.lastHeader(HeaderNames.INGEST_MS), "no ingest time, no header");
        assertEquals(-1, FrameIdentity.readFrom(older).ingestTimeMs());
        assertEquals(frame.captureTimeMs(), FrameIdentity.readFrom(older).latencyOriginMs(), "records without it: capture time");
    }
}
