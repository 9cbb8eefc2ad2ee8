package org.segstream.launcher.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Test video made by Debian's ffmpeg CLI (a moving test pattern, H.264), and damaged copies of it. */
final class TestMedia {
    private TestMedia() {
    }

    /** An H.264 MP4 with its index at the front (+faststart), so a truncated copy still plays up to the cut. */
    static Path mp4(Path file, int width, int height, int fps, double seconds) throws IOException, InterruptedException {
        ffmpeg("-f", "lavfi", "-i", pattern(width, height, fps, seconds), "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", "-g", String.valueOf(fps), "-movflags", "+faststart", file.toString());
        return file;
    }

    /** An H.264 MPEG-TS clip. */
    static Path ts(Path file, int width, int height, int fps, double seconds) throws IOException, InterruptedException {
        ffmpeg("-f", "lavfi", "-i", pattern(width, height, fps, seconds), "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", "-g", String.valueOf(fps), "-f", "mpegts", file.toString());
        return file;
    }

    /** The first {@code fraction} of {@code source}'s bytes, as a file cut off mid-write would be. */
    static Path truncated(Path source, Path file, double fraction) throws IOException {
        byte[] all = Files.readAllBytes(source);
        Files.write(file, java.util.Arrays.copyOf(all, (int) (all.length * fraction)));
        return file;
    }

    /** {@code source} with {@code flips} random bits flipped in its media data (after the 'mdat' box header), seeded. */
    static Path bitFlipped(Path source, Path file, int flips, long seed) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        int mdat = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("mdat");
        if (mdat < 0) {
            throw new IOException(source + " has no mdat box");
        }
        int from = mdat + 64;
        var random = new Random(seed);
        for (int i = 0; i < flips; i++) {
            int at = from + random.nextInt(bytes.length - from);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
        Files.write(file, bytes);
        return file;
    }

    /** One MPEG-TS stream whose frame size changes mid-stream: the first clip, then the second, byte for byte. */
    static Path concatenated(Path file, Path first, Path second) throws IOException {
        Files.write(file, Files.readAllBytes(first));
        Files.write(file, Files.readAllBytes(second), StandardOpenOption.APPEND);
        return file;
    }

    /** ffmpeg's moving test pattern with a frame counter, as a lavfi input. */
    static String pattern(int width, int height, int fps, double seconds) {
        return "testsrc2=size=" + width + "x" + height + ":rate=" + fps + (seconds > 0 ? ":duration=" + seconds : "");
    }

    static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ffmpeg failed (apt-get install ffmpeg): " + command + "\n" + output);
        }
    }
}
