package org.segstream.sink;

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

    @Test
    void writesOverlayAtomicallyAndStartsANewFileWhenTheSizeChanges(@TempDir Path dir) throws Exception {
        var output = new StreamOutput(dir, "cam", "s1", true, VideoEncoder.Settings.h264(), 60);
        for (int seq = 0; seq < 6; seq++) {
            int w = seq < 4 ? 161 : 130, h = seq < 4 ? 91 : 74; // odd size, then a resolution change
            var frame = TestPattern.frame(seq, w, h);
            byte[] png = MaskPng.encode(new ClassMap(w, h, new byte[w * h]));
            output.write(identity(seq, w, h), frame, png, 100 + seq);
            if (seq == 2) {
                try (Stream<Path> files = Files.list(dir.resolve("cam"))) {
                    assertEquals(List.of(".overlay-000000.mp4.part"), files.filter(p -> p.toString().endsWith("mp4") || p.toString().endsWith("part"))
                            .map(p -> p.getFileName().toString()).toList(), "nothing under a final name while writing");
                }
            }
        }
        assertTrue(output.alreadyWritten(5));
        assertFalse(output.alreadyWritten(6));
        output.close();

        assertEquals(4, countFrames(dir.resolve("cam/overlay-000000.mp4"), 161, 91));
        assertEquals(2, countFrames(dir.resolve("cam/overlay-000004.mp4"), 130, 74));
        try (Stream<Path> masks = Files.list(dir.resolve("cam/masks"))) {
            assertEquals(6, masks.count());
        }
        assertEquals(130, MaskPng.decode(Files.readAllBytes(dir.resolve("cam/masks/000005.png"))).width());
        try (Stream<Path> files = Files.list(dir.resolve("cam"))) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".part")));
        }
    }

    @Test
    void liveStreamsAreWrittenInSegmentsAndARestartSkipsWhatIsFinal(@TempDir Path dir) throws Exception {
        var output = new StreamOutput(dir, "cam", "s1", false, VideoEncoder.Settings.h264(), 0.5); // 5 frames at 10 fps
        for (int seq = 0; seq < 12; seq++) {
            output.write(live(seq), TestPattern.frame(seq, 160, 90), new byte[0], 1000 + seq);
        }
        assertEquals(1010, output.openSinceOffset(), "the third segment is open since its first mask");
        // A crash now: the open segment is lost; a new instance replays from its first frame.
        var restarted = new StreamOutput(dir, "cam", "s1", false, VideoEncoder.Settings.h264(), 0.5);
        assertTrue(restarted.alreadyWritten(9), "frames of finalised segments are skipped");
        assertFalse(restarted.alreadyWritten(10), "the lost segment is written again");
        for (int seq = 10; seq < 13; seq++) {
            restarted.write(live(seq), TestPattern.frame(seq, 160, 90), new byte[0], 1000 + seq);
        }
        restarted.close();

        assertEquals(5, countFrames(dir.resolve("cam/overlay-000000.mp4"), 160, 90));
        assertEquals(5, countFrames(dir.resolve("cam/overlay-000005.mp4"), 160, 90));
        assertEquals(3, countFrames(dir.resolve("cam/overlay-000010.mp4"), 160, 90));
        assertFalse(new StreamOutput(dir, "cam", "s2", false, VideoEncoder.Settings.h264(), 0.5).alreadyWritten(0),
                "a new session starts afresh");
    }

    static FrameIdentity live(long seq) {
        return new FrameIdentity("cam", "s1", seq, seq * 100_000, System.currentTimeMillis(), 160, 90, 10, "jpeg", SourceKind.LIVE);
    }

    static FrameIdentity identity(long seq, int w, int h) {
        return new FrameIdentity("cam", "s1", seq, seq * 40_000, 0, w, h, 25.0, "jpeg", SourceKind.FILE);
    }

    static int countFrames(Path file, int width, int height) throws Exception {
        VideoFileInfo info = VideoFileInfo.read(file);
        assertEquals(new VideoFileInfo("h264", width, height, info.frames()), info);
        return info.frames();
    }
}
