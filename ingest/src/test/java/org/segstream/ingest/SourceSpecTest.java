package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void v4l2DevicesAreLiveCameras() {
        var plain = SourceSpec.parse("/dev/video0");
        assertEquals(new SourceSpec("video0", "/dev/video0", SourceKind.LIVE), plain);
        assertTrue(plain.isDevice());
        var url = SourceSpec.parse("cam=v4l2:///dev/video2");
        assertEquals(new SourceSpec("cam", "/dev/video2", SourceKind.LIVE), url, "the URL form names the same device");
        assertTrue(url.isDevice());
        assertEquals("/dev/video1", SourceSpec.parse("V4L2:///dev/video1").location());
        assertFalse(SourceSpec.parse("/dev/video").isDevice());
        assertFalse(SourceSpec.parse("/data/dev/video0").isDevice());
        assertEquals(SourceKind.FILE, SourceSpec.parse("/dev/videos/clip.mp4").kind());
    }
}
