package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.segstream.launcher.reliability.LiveCamera;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.testsupport.ServiceProcess;

/**
 * {@code segstream run} on a live camera (a real ffmpeg HTTP server), stopped by SIGTERM as Ctrl-C,
 * {@code kill} or {@code docker stop} would: the stream gets its end record, the pipeline drains, the
 * overlay is finished (no .part left, a player decodes it) and summary.json is written.
 */
class RunSigtermIT {

    @Test
    void sigtermFinishesTheOverlaysAndTheSummary(@TempDir Path dir) throws Exception {
        var camera = new LiveCamera(160, 90, 25);
        String url = camera.url();
        Path out = dir.resolve("out");
        Path log = dir.resolve("run.log");
        try (ServiceProcess run = CliProcess.run(out, log, "door=" + url)) {
            Path streamDir = out.resolve("door");
            run.awaitWhileAlive("an overlay being written", Duration.ofSeconds(90),
                    () -> list(streamDir).stream().anyMatch(p -> p.endsWith(".part")));
            Thread.sleep(3000); // a few seconds of overlay: what the stop must finish, not a wait for something

            long signalled = System.nanoTime();
            assertTrue(run.stop(Duration.ofSeconds(90)), "run exits after SIGTERM");
            long exitMs = (System.nanoTime() - signalled) / 1_000_000;
            String text = run.log();
            assertEquals(143, run.waitForExit(Duration.ofSeconds(5)), "128 + SIGTERM after a clean stop: " + text);
            assertTrue(text.contains("SIGTERM: stopping the sources"), text);

            List<String> files = list(streamDir);
            assertTrue(files.stream().noneMatch(f -> f.endsWith(".part")), "no unfinished file: " + files);
            List<String> overlays = files.stream().filter(f -> f.matches("[^/]+/\\d{8}T\\d{6}\\.\\d{3}Z\\.mp4")).toList();
            assertEquals(1, overlays.size(), "one finished overlay: " + files);
            long decoded = ffprobeFrames(streamDir.resolve(overlays.get(0)));

            JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
            JsonNode row = summary.get("streams").get(0);
            assertEquals("door", row.get("stream").asText());
            long in = row.get("frames_in").asLong();
            long written = row.get("frames_written").asLong();
            assertTrue(in > 0 && written > 0, summary.toString());
            assertTrue(row.get("latency_ms").get("p50").asLong() >= 0, "latency measured: " + row);
            assertEquals(written, decoded, "the overlay holds every written frame, readable by ffprobe");
            System.out.printf("run stopped by SIGTERM in %d ms: %d frames in, %d in the overlay%n", exitMs, in, decoded);
        } finally {
            camera.close();
        }
    }

    /** The files in a stream's session folders, as "session/file". */
    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.walk(dir, 2)) {
            return new ArrayList<>(files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList());
        }
    }

    private static long ffprobeFrames(Path video) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", video.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "ffprobe decodes the overlay: " + output);
        return Long.parseLong(output);
    }
}
