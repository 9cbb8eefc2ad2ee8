package org.segstream.scenes;

import java.io.IOException;
import java.nio.file.Path;
import org.segstream.video.VideoEncoder;

/** Writes a whole {@link TestPattern} clip: lossless FFV1 for a {@code .mkv} name, H.264 otherwise. */
public final class TestClips {
    private TestClips() {
    }

    public static Path write(Path file, int width, int height, int frames, double fps) throws IOException {
        var settings = file.getFileName().toString().endsWith(".mkv")
                ? VideoEncoder.Settings.lossless()
                : new VideoEncoder.Settings(VideoEncoder.Codec.H264, "veryfast", 18);
        try (var encoder = VideoEncoder.open(file, width, height, fps, settings)) {
            for (int i = 0; i < frames; i++) {
                encoder.write(TestPattern.frame(i, width, height));
            }
        }
        return file;
    }
}
