package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CredentialsTest {
    @Test
    void passwordsInUrlsAreMasked() {
        assertEquals("rtsp://admin:***@10.0.0.5:554/stream1", Credentials.redact("rtsp://admin:hunter2@10.0.0.5:554/stream1"));
        assertEquals("rtsp://admin:***@cam/s", Credentials.redact("rtsp://admin:p@ss:w0rd@cam/s"), "a password with '@' and ':'");
        assertEquals("rtsp://cam.local/stream1", Credentials.redact("rtsp://cam.local/stream1"), "nothing to mask");
        assertEquals("rtsp://user@cam/s", Credentials.redact("rtsp://user@cam/s"), "a user without a password");
    }

    @Test
    void secretQueryValuesAreMasked() {
        assertEquals("https://cam/live.m3u8?token=***&quality=hd&password=***",
                Credentials.redact("https://cam/live.m3u8?token=abc123&quality=hd&password=s3cret"));
    }

    @Test
    void urlsQuotedInsideAMessageAreMaskedToo() {
        assertEquals("avformat_open_input() error -111: Could not open input \"rtsp://admin:***@10.0.0.5/s1\".",
                Credentials.redact("avformat_open_input() error -111: Could not open input \"rtsp://admin:hunter2@10.0.0.5/s1\"."));
    }
}
