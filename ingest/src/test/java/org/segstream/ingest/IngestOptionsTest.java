package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.BgrImage;
import org.segstream.contract.SourceKind;

/** Per-stream options, the streams file, backoff, sampling, scaling, capture time and progress: no broker needed. */
class IngestOptionsTest {

    @Test
    void backoffDoublesToItsCapAndJitterStaysWithinBounds() {
        var r = Reconnect.DEFAULT;
        List<Long> waits = new ArrayList<>();
        for (int failures = 1; failures <= 9; failures++) {
            waits.add(r.backoffMillis(failures));
        }
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L), waits);
        assertEquals(400, r.jittered(500, 0.0));
        assertEquals(600, r.jittered(500, 0.99999), 1);
        assertEquals(500, r.jittered(500, 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> new Reconnect(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.2, Duration.ofSeconds(1), false));
    }

    @Test
    void samplingFollowsPresentationTimeNotFrameCount() {
        var sampler = new FrameSampler(5);
        int kept = 0;
        for (int i = 0; i < 60; i++) { // 2 s at 30 fps
            if (sampler.keep(i * 1_000_000L / 30)) {
                kept++;
            }
        }
        assertEquals(10, kept);

        var vfr = new FrameSampler(2); // a variable-rate source: gaps do not make it catch up with bursts
        long[] pts = {0, 100_000, 150_000, 1_400_000, 1_450_000, 1_500_000, 2_000_000, 2_100_000};
        List<Long> out = new ArrayList<>();
        for (long p : pts) {
            if (vfr.keep(p)) {
                out.add(p);
            }
        }
        assertEquals(List.of(0L, 1_400_000L, 2_000_000L), out);
        assertTrue(new FrameSampler(0).keep(5));
    }

    @Test
    void optionsParseAndFitKeepsTheAspectRatio() {
        var o = SourceOptions.of(Map.of("fps", "5", "max-size", "1280x720", "jpeg-quality", "70",
                "start", "1.5", "duration", "10", "pace", "realtime", "capture-time", "ingest", "rtsp-transport", "UDP"));
        assertEquals(new SourceOptions(5, 1280, 720, 70, 1.5, 10, true, false, "udp"), o);
        assertEquals(new SourceOptions(0, 0, 0, 0, 0, 0, false, true, "tcp"), SourceOptions.of(Map.of()),
                "defaults: files stamped with their recorded time, RTSP over TCP");
        assertEquals("rtsp-transport 'http' is not 'tcp' or 'udp'",
                assertThrows(IllegalArgumentException.class, () -> SourceOptions.of(Map.of("rtsp-transport", "http"))).getMessage());
        assertArrayEquals(new int[] {1280, 720}, o.fit(1920, 1080));
        assertArrayEquals(new int[] {960, 720}, o.fit(1440, 1080));
        assertArrayEquals(new int[] {640, 360}, o.fit(640, 360), "never scaled up");
        assertArrayEquals(new int[] {1280, 1}, new SourceOptions(0, 1280, 720, 0, 0, 0, false, true, "tcp").fit(4000, 2));
        var bad = assertThrows(IllegalArgumentException.class, () -> SourceOptions.of(Map.of("fsp", "5")));
        assertEquals("unknown option 'fsp'", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SourceOptions.of(Map.of("max-size", "1280")));
        assertThrows(IllegalArgumentException.class, () -> SourceOptions.of(Map.of("pace", "slow")));
    }

    @Test
    void downscaleAveragesAreas() {
        byte[] px = new byte[4 * 2 * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) (i < 12 ? 0 : 200); // top row blue 0, bottom row blue 200
            px[i + 2] = (byte) 255;
        }
        BgrImage small = Downscale.to(new BgrImage(4, 2, px), 2, 1);
        assertEquals(2, small.width());
        assertEquals(1, small.height());
        assertEquals(100, small.pixels()[0] & 0xff);
        assertEquals(255, small.pixels()[2] & 0xff);
    }

    @Test
    void streamsFileNamesCamerasAndFolders(@TempDir Path dir) throws Exception {
        Path rec = Files.createDirectories(dir.resolve("recordings"));
        Files.writeString(rec.resolve("2024-05-02_0900.mp4"), "x");
        Files.writeString(rec.resolve("2024-05-01_0800.MP4"), "x");
        Files.writeString(rec.resolve("notes.txt"), "x");
        Files.writeString(rec.resolve(".hidden.mp4"), "x");
        Path config = Files.writeString(dir.resolve("streams.properties"), """
                # two cameras and two dashcam folders
                default.fps = 5
                gate.url = rtsp://10.0.0.5/stream1
                gate.max-size = 1280x720
                yard.url = http://10.0.0.6/live.ts
                yard.fps = 2
                dash.url = recordings
                dash.pace = fast
                trip.url = recordings
                trip.folder = per-file
                """);
        List<SourceSpec> specs = SourcesFile.load(config, Map.of());
        assertEquals(List.of("dash", "gate", "trip-2024-05-01_0800", "trip-2024-05-02_0900", "yard"),
                specs.stream().map(SourceSpec::stream).toList());
        SourceSpec gate = specs.get(1);
        assertEquals(SourceKind.LIVE, gate.kind());
        assertEquals(new SourceOptions(5, 1280, 720, 0, 0, 0, false, true, "tcp"), gate.options());
        assertEquals(2, specs.get(4).options().fps());
        assertTrue(specs.get(0).isDirectory());
        assertEquals(rec.toString(), specs.get(0).location(), "relative to the config file");
        assertEquals(rec.resolve("2024-05-01_0800.MP4").toString(), specs.get(2).location());
        assertFalse(specs.get(2).isDirectory());
        assertEquals(List.of(rec.resolve("2024-05-01_0800.MP4"), rec.resolve("2024-05-02_0900.mp4")), IngestJob.videoFiles(rec));

        Path bad = Files.writeString(dir.resolve("bad.properties"), "gate.url = rtsp://x/1\ngate.fsp = 5\n");
        var error = assertThrows(IllegalArgumentException.class, () -> SourcesFile.load(bad, Map.of()));
        assertTrue(error.getMessage().contains("stream 'gate': unknown option 'fsp'"), error.getMessage());
        Path nourl = Files.writeString(dir.resolve("nourl.properties"), "gate.fps = 5\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourcesFile.load(nourl, Map.of())).getMessage().contains("gate.url"));
    }

    @Test
    void jsonStreamsFileSaysTheSame(@TempDir Path dir) throws Exception {
        Path json = Files.writeString(dir.resolve("streams.json"), """
                {"default": {"fps": 5},
                 "gate": {"url": "rtsp://10.0.0.5/stream1", "max-size": "1280x720"},
                 "yard": {"url": "yard.mp4", "fps": 2.5, "pace": "realtime"}}
                """);
        List<SourceSpec> specs = SourcesFile.load(json, Map.of());
        assertEquals(List.of("gate", "yard"), specs.stream().map(SourceSpec::stream).toList());
        assertEquals(new SourceOptions(5, 1280, 720, 0, 0, 0, false, true, "tcp"), specs.get(0).options());
        assertEquals(new SourceOptions(2.5, 0, 0, 0, 0, 0, true, true, "tcp"), specs.get(1).options());
        assertEquals(dir.resolve("yard.mp4").toString(), specs.get(1).location());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"gate\": ");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourcesFile.load(broken, Map.of())).getMessage().contains("not valid JSON"));
    }

    @Test
    void captureTimeComesFromTheContainerWhenItHasOne() {
        assertEquals(1714552200000L, CaptureTime.epochMillis("2024-05-01T08:30:00.000000Z"));
        assertEquals(-1, CaptureTime.epochMillis(null));
        assertEquals(-1, CaptureTime.epochMillis("yesterday"));
        assertEquals(-1, CaptureTime.epochMillis("1970-01-01T00:00:00Z"));
    }

    @Test
    void progressIsOneUpdatingLine() {
        var bytes = new ByteArrayOutputStream();
        var progress = new Progress("dash", 50, 25, new PrintStream(bytes, true));
        progress.frame(0);
        progress.done(1);
        String text = bytes.toString();
        assertTrue(text.startsWith("\rdash: 1/50 (2 %) frames, at 0.0 s of 2.0 s, "), text);
        assertTrue(text.endsWith("1 sent\u001b[K\n"), text);
        assertEquals(1, text.chars().filter(c -> c == '\n').count());
    }
}
