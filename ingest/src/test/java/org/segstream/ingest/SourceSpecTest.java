package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.segstream.contract.SourceKind;

class SourceSpecTest {

    @Test
    void nameDefaultsToTheFileBaseName() {
        assertEquals(new SourceSpec("clip", "videos/clip.mp4", SourceKind.FILE), SourceSpec.parse("videos/clip.mp4"));
    }

    @Test
    void explicitNameWins() {
        assertEquals(new SourceSpec("front-door", "/data/a b.mkv", SourceKind.FILE), SourceSpec.parse("front-door=/data/a b.mkv"));
    }

    @Test
    void networkUrlsAreLiveAndQueryStringsAreNotNames() {
        var spec = SourceSpec.parse("rtsp://cam.local:554/stream1?user=a");
        assertEquals("stream1", spec.stream());
        assertEquals(SourceKind.LIVE, spec.kind());
        assertEquals("rtsp://cam.local:554/stream1?user=a", spec.location());

        assertEquals("gate", SourceSpec.parse("gate=http://x/live.m3u8").stream());
        assertEquals(SourceKind.FILE, SourceSpec.parse("file:///tmp/x.mp4").kind());
    }

    @Test
    void badNamesAreRefusedWithTheReason() {
        assertEquals("clip", SourceSpec.parse("clip.mp4").stream());
        assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("bad name!=clip.mp4"));
        assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("cam="));
    }
}
