package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.ClassMap;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.MaskPng;
import org.segstream.contract.SourceKind;
import org.segstream.scenes.TestPattern;
import org.segstream.video.VideoEncoder;
import org.segstream.video.VideoFileInfo;

class StreamOutputTest {
    /** 2026-11-30 12:00:00.000 UTC. */
    static final long NOON = 1_796_040_000_000L;

    @Test
    void writesOverlayAtomicallyAndStartsANewFileWhenTheSizeChanges(@TempDir Path dir) throws Exception {
        var output = new StreamOutput(dir, file("s1", "clip.mp4", 0, 161, 91), true, VideoEncoder.Settings.h264(), 60);
        Path session = dir.resolve("cam/s1_clip.mp4");
        assertEquals(session, output.dir());
        for (int seq = 0; seq < 6; seq++) {
            int w = seq < 4 ? 161 : 130, h = seq < 4 ? 91 : 74; // odd size, then a resolution change
            var frame = TestPattern.frame(seq, w, h);
            byte[] png = MaskPng.encode(new ClassMap(w, h, new byte[w * h]));
            output.write(file("s1", "clip.mp4", seq, w, h), frame, png, 100 + seq);
            if (seq == 2) {
                try (Stream<Path> files = Files.list(session)) {
                    assertEquals(List.of(".overlay-000000.mp4.part"), files.filter(p -> p.toString().endsWith("mp4") || p.toString().endsWith("part"))
                            .map(p -> p.getFileName().toString()).toList(), "nothing under a final name while writing");
                }
            }
        }
        assertTrue(output.alreadyWritten(5));
        assertFalse(output.alreadyWritten(6));
        output.close();

        assertEquals(4, countFrames(session.resolve("overlay-000000.mp4"), 161, 91));
        assertEquals(2, countFrames(session.resolve("overlay-000004.mp4"), 130, 74));
        try (Stream<Path> masks = Files.list(session.resolve("masks"))) {
            assertEquals(6, masks.count());
        }
        assertEquals(130, MaskPng.decode(Files.readAllBytes(session.resolve("masks/000005.png"))).width());
        try (Stream<Path> files = Files.list(session)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".part")));
        }
    }

    @Test
    void everySessionOfAStreamHasItsOwnFolder(@TempDir Path dir) throws Exception {
        // A dashcam folder: each file a session whose sequence numbers start at 0 again.
        for (String clip : List.of("a.mp4", "b.mp4", "c.mp4")) {
            String session = "20261130-120000-" + clip.charAt(0);
            try (var output = new StreamOutput(dir, file(session, clip, 0, 64, 48), true, VideoEncoder.Settings.h264(), 60)) {
                for (int seq = 0; seq < 3; seq++) {
                    output.write(file(session, clip, seq, 64, 48), TestPattern.frame(seq, 64, 48), new byte[] {(byte) clip.charAt(0)}, seq);
                }
            }
        }
        try (Stream<Path> sessions = Files.list(dir.resolve("cam"))) {
            assertEquals(List.of("20261130-120000-a_a.mp4", "20261130-120000-b_b.mp4", "20261130-120000-c_c.mp4"),
                    sessions.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String clip : List.of("a", "b", "c")) {
            Path session = dir.resolve("cam/20261130-120000-" + clip + "_" + clip + ".mp4");
            assertEquals(3, countFrames(session.resolve("overlay-000000.mp4"), 64, 48));
            assertArrayEquals(new byte[] {(byte) clip.charAt(0)}, Files.readAllBytes(session.resolve("masks/000002.png")));
        }
    }

    @Test
    void aFileOverlayIsTimedByThePtsOfItsFrames(@TempDir Path dir) throws Exception {
        // 25 fps frames with every third one missing upstream: the overlay still spans the clip's time.
        try (var output = new StreamOutput(dir, file("s1", "clip.mp4", 0, 64, 48), false, VideoEncoder.Settings.h264(), 60)) {
            for (int seq = 0; seq < 30; seq++) {
                if (seq % 3 != 2) {
                    output.write(file("s1", "clip.mp4", seq, 64, 48), TestPattern.frame(seq, 64, 48), new byte[0], seq);
                }
            }
        }
        long[] times = VideoFileInfo.frameTimesMicros(dir.resolve("cam/s1_clip.mp4/overlay-000000.mp4"));
        assertEquals(20, times.length);
        assertEquals(1_160_000 - 40_000, times[times.length - 1] - times[0], 1_000, "the last frame (seq 28) is 1.12 s after the first");
    }

    @Test
    void liveSegmentsFollowCaptureTimeAndAreNamedByIt(@TempDir Path dir) throws Exception {
        // A 10 fps camera, segments of 1 s of capture time; frames 3, 4 and 5 were shed upstream.
        var output = new StreamOutput(dir, live("s1", 0), false, VideoEncoder.Settings.h264(), 1.0);
        Path session = dir.resolve("cam/s1");
        for (int seq = 0; seq < 25; seq++) {
            if (seq < 3 || seq > 5) {
                output.write(live("s1", seq), TestPattern.frame(seq, 160, 90), new byte[0], 1000 + seq);
            }
        }
        assertEquals(1020, output.openSinceOffset(), "the third segment is open since its first mask");
        // A crash now: the open segment is lost; a new instance replays from its first frame.
        var restarted = new StreamOutput(dir, live("s1", 20), false, VideoEncoder.Settings.h264(), 1.0);
        assertTrue(restarted.alreadyWritten(19), "frames of finalised segments are skipped");
        assertFalse(restarted.alreadyWritten(20), "the lost segment is written again");
        for (int seq = 20; seq < 25; seq++) {
            restarted.write(live("s1", seq), TestPattern.frame(seq, 160, 90), new byte[0], 1000 + seq);
        }
        restarted.close();

        Path first = session.resolve("20261130T120000.000Z.mp4");
        assertEquals(7, countFrames(first, 160, 90), "seq 0-2 and 6-9: the shed frames are missing");
        long[] times = VideoFileInfo.frameTimesMicros(first);
        assertEquals(900_000, times[times.length - 1] - times[0], 1_000, "the segment spans the capture time it covers");
        assertEquals(10, countFrames(session.resolve("20261130T120001.000Z.mp4"), 160, 90));
        assertEquals(5, countFrames(session.resolve("20261130T120002.000Z.mp4"), 160, 90));
        assertFalse(new StreamOutput(dir, live("s2", 0), false, VideoEncoder.Settings.h264(), 1.0).alreadyWritten(0),
                "a new session starts afresh");
    }

    @Test
    void anIdThatCannotNameAFolderIsRefused(@TempDir Path dir) {
        var tooLong = new FrameIdentity("x".repeat(300), "s1", 0, 0, 0, 64, 48, 25, "jpeg", SourceKind.FILE);
        var error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new StreamOutput(dir, tooLong, false, VideoEncoder.Settings.h264(), 60));
        assertTrue(error.getMessage().contains("too long"), error.getMessage());
    }

    static FrameIdentity live(String session, long seq) {
        return new FrameIdentity("cam", session, seq, seq * 100_000, NOON + seq * 100, 160, 90, 10, "jpeg", SourceKind.LIVE);
    }

    static FrameIdentity file(String session, String source, long seq, int w, int h) {
        return new FrameIdentity("cam", session, seq, seq * 40_000, 0, w, h, 25.0, "jpeg", SourceKind.FILE, -1, source);
    }

    static int countFrames(Path file, int width, int height) throws Exception {
        VideoFileInfo info = VideoFileInfo.read(file);
        assertEquals(new VideoFileInfo("h264", width, height, info.frames()), info);
        return info.frames();
    }
}
