package org.segstream.scenes.street;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.segstream.contract.MaskPng;
import org.segstream.contract.VocClasses;
import org.segstream.video.VideoEncoder;

/**
 * Writes a labelled street clip: {@code dir/video.mp4} (H.264, crf 18) and its ground truth
 * {@code dir/gt/000000.png, 000001.png, ...}, one VOC palette PNG per video frame in the same order.
 */
public final class SynthClip {
    private SynthClip() {
    }

    /**
     * What was written.
     *
     * @param classPixels pixels of each VOC class over the whole clip, indexed by class (21 entries)
     */
    public record Summary(Path video, Path groundTruth, int frames, int width, int height, double fps,
                          long[] classPixels) {
        public Summary {
            classPixels = classPixels.clone();
        }

        @Override
        public long[] classPixels() {
            return classPixels.clone();
        }

        /** Fraction of all labelled pixels of the clip that belong to {@code classIndex}. */
        public double share(int classIndex) {
            long total = Arrays.stream(classPixels).sum();
            return total == 0 ? 0 : (double) classPixels[classIndex] / total;
        }
    }

    /**
     * Renders {@code round(seconds * fps)} frames of {@link StreetScene}{@code (seed, width, height, fps)}.
     * Existing files of an earlier clip in {@code dir} are replaced, and ground-truth PNGs beyond the new
     * frame count removed, so the directory always describes one clip.
     */
    public static Summary write(Path dir, long seed, double seconds, int width, int height, double fps)
            throws IOException {
        long count = Math.round(seconds * fps);
        if (!(seconds > 0) || count < 1 || count > 1_000_000) {
            throw new IllegalArgumentException(
                    "cannot write " + seconds + " s at " + fps + " frames/s: need between 1 and 1000000 frames");
        }
        int frames = (int) count;
        Path video = dir.resolve("video.mp4");
        Path gt = dir.resolve("gt");
        Files.createDirectories(gt);
        var scene = new StreetScene(seed, width, height, fps);
        long[] pixels = new long[VocClasses.NAMES.size()];
        try (var encoder = VideoEncoder.open(video, width, height, fps,
                new VideoEncoder.Settings(VideoEncoder.Codec.H264, "veryfast", 18))) {
            for (int i = 0; i < frames; i++) {
                LabelledFrame frame = scene.next();
                encoder.write(frame.image());
                Files.write(gt.resolve(maskName(i)), MaskPng.encode(frame.labels()));
                for (byte c : frame.labels().classes()) {
                    pixels[c & 0xff]++;
                }
            }
        }
        removeStaleMasks(gt, frames);
        return new Summary(video, gt, frames, width, height, fps, pixels);
    }

    /** The ground-truth file name of frame {@code index}: six digits, zero-padded. */
    public static String maskName(int index) {
        return String.format("%06d.png", index);
    }

    private static void removeStaleMasks(Path gt, int frames) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(gt, "[0-9][0-9][0-9][0-9][0-9][0-9].png")) {
            for (Path file : files) {
                int index = Integer.parseInt(file.getFileName().toString().substring(0, 6));
                if (index >= frames) {
                    Files.delete(file);
                }
            }
        }
    }
}
