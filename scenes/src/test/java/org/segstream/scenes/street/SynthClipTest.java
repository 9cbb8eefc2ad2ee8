package org.segstream.scenes.street;

import org.segstream.video.VideoFileInfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.contract.ClassMap;
import org.segstream.contract.MaskPng;

class SynthClipTest {

    @ParameterizedTest
    @CsvSource({"161, 91, 2.0, 25, 50", "320, 180, 1.0, 30, 30"})
    void writesOneMaskPerVideoFrameAtTheRequestedSize(int width, int height, double seconds, double fps, int frames,
                                                      @TempDir Path dir) throws Exception {
        var summary = SynthClip.write(dir, 4, seconds, width, height, fps);

        assertEquals(frames, summary.frames());
        assertEquals(dir.resolve("video.mp4"), summary.video());
        assertEquals(new VideoFileInfo("h264", width, height, frames), VideoFileInfo.read(summary.video()), "video frames");
        assertEquals(frames, masks(dir).length, "ground-truth PNGs");
        for (int i = 0; i < frames; i++) {
            ClassMap mask = MaskPng.decode(Files.readAllBytes(dir.resolve("gt").resolve(SynthClip.maskName(i))));
            assertEquals(width, mask.width());
            assertEquals(height, mask.height());
        }
        var scene = new StreetScene(4, width, height, fps);
        ClassMap first = MaskPng.decode(Files.readAllBytes(dir.resolve("gt/000000.png")));
        assertArrayEquals(scene.next().labels().classes(), first.classes(), "000000.png is frame 0 of the scene");
        assertEquals((long) width * height * frames, Arrays.stream(summary.classPixels()).sum());
        assertTrue(summary.share(0) < 1.0 && summary.share(0) > 0.5, "background share " + summary.share(0));
    }

    @Test
    void aShorterClipInTheSameDirectoryLeavesNoStaleMasks(@TempDir Path dir) throws Exception {
        SynthClip.write(dir, 1, 1.0, 64, 48, 20);
        SynthClip.write(dir, 2, 0.5, 64, 48, 20);
        String[] names = masks(dir);
        assertEquals(10, names.length);
        assertEquals("000009.png", names[names.length - 1]);
    }

    private static String[] masks(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("gt"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }
}
