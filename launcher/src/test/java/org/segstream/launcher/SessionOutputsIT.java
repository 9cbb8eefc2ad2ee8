package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.launcher.PipelineEndToEndIT.StreamFiles;
import org.segstream.launcher.reliability.LiveCamera;
import org.segstream.scenes.TestClips;
import org.segstream.segmenter.model.Device;
import org.segstream.service.ServiceLifecycle;
import org.segstream.testsupport.KafkaBrokerExtension;

/**
 * A session is the unit of output: a dashcam folder (each file a session whose sequence numbers
 * start at 0 again) and a camera that reconnects keep every session's files, timed by the source,
 * and the summary accounts for every frame of every session.
 */
class SessionOutputsIT {
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    @Test
    void aFolderOfClipsKeepsEveryClipsOverlayAndMasks(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("dashcam"));
        TestClips.write(folder.resolve("REC_0001.mkv"), 160, 96, 20, 25);
        TestClips.write(folder.resolve("REC_0002.mkv"), 160, 96, 20, 25);
        TestClips.write(folder.resolve("REC_0003.mkv"), 160, 96, 30, 10); // another rate: 3 s
        Path out = dir.resolve("out");
        var printed = new ByteArrayOutputStream();
        var options = new PipelineRun.Options(List.of(folder.toString()), out, PipelineEndToEndIT.MODEL, 4, true, 2, Device.CPU);
        var outcome = PipelineRun.runOn(broker.bootstrapServers(), options, new PrintStream(printed, true, StandardCharsets.UTF_8));

        List<Path> sessions = StreamFiles.sessions(out, "dashcam");
        assertEquals(3, sessions.size(), "a folder per clip: " + sessions);
        int[] frames = {20, 20, 30};
        double[] seconds = {0.8, 0.8, 3.0};
        for (int i = 0; i < 3; i++) {
            Path session = sessions.get(i);
            assertTrue(session.getFileName().toString().endsWith("_REC_000" + (i + 1) + ".mkv"),
                    "the session folder names its clip: " + session.getFileName());
            Path overlay = session.resolve("overlay-000000.mp4");
            assertEquals("h264,160,96," + frames[i], StreamFiles.ffprobe(overlay), "a player's view of " + overlay);
            double duration = StreamFiles.ffprobeSeconds(overlay);
            assertEquals(seconds[i], duration, 1.0 / (i == 2 ? 10 : 25), "the overlay lasts as long as its clip: " + overlay);
            assertEquals(frames[i], StreamFiles.count(session.resolve("masks")), "a mask for every frame of " + session);
        }

        RunSummary.Row row = outcome.summary().streams().get(0);
        assertNull(row.error());
        assertEquals(70, row.framesIn());
        assertEquals(70, row.framesSegmented() + row.framesShed() + row.framesDeadLettered());
        assertEquals(70, row.framesWritten());
        assertEquals(List.of(20L, 20L, 30L), row.sessions().stream().map(RunSummary.Session::frames).toList());
        assertEquals(List.of(20L, 20L, 30L), row.sessions().stream().map(RunSummary.Session::framesWritten).toList());
        JsonNode json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("fcn8s-slim", json.path("model").path("name").asText());
        assertTrue(json.path("started").asText().endsWith("Z") && json.path("ended").asText().endsWith("Z"), json.toString());
        JsonNode stream = json.path("streams").get(0);
        assertEquals(70, stream.path("frames_in").asLong());
        assertEquals(0, stream.path("frames_shed").asLong() + stream.path("frames_dead_lettered").asLong());
        JsonNode third = stream.path("sessions").get(2);
        assertTrue(third.path("source").asText().endsWith("REC_0003.mkv"), third.toString());
        assertEquals(30, third.path("frames").asLong());
        assertEquals("end of input", third.path("end_reason").asText());
        assertEquals("dashcam/" + sessions.get(2).getFileName(), third.path("output").asText());
        String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("REC_0002.mkv"), "the table lists the sessions:\n" + table);
    }

    @Test
    void aCameraThatReconnectsTwiceKeepsThreeSessions(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        var camera = new LiveCamera(160, 96, 10);
        var stop = new ServiceLifecycle();
        var options = new PipelineRun.Options(List.of("door=" + camera.url()), out, PipelineEndToEndIT.MODEL, 4, true, 2, Device.CPU);
        var run = CompletableFuture.supplyAsync(() -> {
            try {
                return PipelineRun.runOn(broker.bootstrapServers(), options, new PrintStream(new ByteArrayOutputStream()), stop);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            for (int session = 1; session <= 3; session++) {
                awaitMasks(out.resolve("door"), session, 10);
                if (session < 3) {
                    camera.disconnect(); // the camera reboots...
                    Thread.sleep(1000); // down for a second: the scenario, not a wait
                    camera.reconnect(); // ...and is back on the same URL
                }
            }
            stop.request("TERM");
            var outcome = run.get(120, TimeUnit.SECONDS);

            List<Path> sessions = StreamFiles.sessions(out, "door");
            assertEquals(3, sessions.size(), "a folder per connection: " + sessions);
            RunSummary.Row row = outcome.summary().streams().get(0);
            assertEquals(3, row.sessions().size(), "the summary lists every connection: " + row.sessions());
            assertEquals(row.framesIn(), row.framesSegmented() + row.framesShed() + row.framesDeadLettered(), "every frame accounted for");
            for (int i = 0; i < 3; i++) {
                Path session = sessions.get(i);
                RunSummary.Session reported = row.sessions().get(i);
                assertEquals("door/" + session.getFileName(), reported.output());
                List<Path> segments = mp4s(session);
                assertTrue(!segments.isEmpty() && segments.stream().allMatch(p -> p.getFileName().toString()
                        .matches("\\d{8}T\\d{6}\\.\\d{3}Z\\.mp4")), "live segments named by UTC capture time: " + segments);
                long overlayFrames = 0;
                for (Path segment : segments) {
                    overlayFrames += StreamFiles.overlayFrames(segment, 160, 96);
                }
                assertEquals(reported.framesWritten(), overlayFrames, "the session's overlays hold its frames");
                assertEquals(reported.framesWritten(), StreamFiles.count(session.resolve("masks")));
                assertTrue(reported.framesWritten() >= 10, "each session wrote its frames: " + reported);
            }
        } finally {
            camera.close();
        }
    }

    /** Waits until the stream has {@code sessions} session folders and the newest holds {@code masks} masks. */
    private static void awaitMasks(Path streamDir, int sessions, int masks) {
        Awaitility.await("session " + sessions + " of " + streamDir + " with " + masks + " masks").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!Files.isDirectory(streamDir)) {
                        return false;
                    }
                    List<Path> dirs;
                    try (Stream<Path> list = Files.list(streamDir)) {
                        dirs = list.filter(Files::isDirectory).sorted().toList();
                    }
                    Path newest = dirs.isEmpty() ? null : dirs.get(dirs.size() - 1).resolve("masks");
                    return dirs.size() == sessions && Files.isDirectory(newest) && StreamFiles.count(newest) >= masks;
                });
    }

    private static List<Path> mp4s(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".mp4")).sorted().toList();
        }
    }
}
