package org.segstream.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.SourceKind;
import org.segstream.scenes.TestClips;
import org.segstream.testsupport.KafkaBrokerExtension;

/** Ingest against a real broker and real FFmpeg peers: reconnects, size changes, damaged files. */
class IngestBrokerIT {
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    private static IngestConfig config(FramesTopic topic) {
        return IngestConfig.of(broker.bootstrapServers(), topic.topics);
    }

    /** Frames 0..n-1 without gaps, then (if present) an end record that counts n. */
    private static long assertWholeSession(List<FramesTopic.Item> session, boolean ended) {
        long seq = 0;
        for (var item : session) {
            if (item.frame() != null) {
                assertEquals(seq++, item.frame().seq(), "frames of a session are numbered from 0 without gaps");
            } else {
                assertEquals(seq, item.end().frameCount(), "the end record counts the session's frames");
                assertEquals(session.get(session.size() - 1), item, "nothing after the end record");
            }
        }
        assertEquals(ended, session.get(session.size() - 1).end() != null, "end record present: " + ended);
        return seq;
    }

    @Test
    void liveSourceThatDropsIsReconnectedAsANewSession(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("cam.mkv"), 96, 64, 50, 25);
        String url = "http://127.0.0.1:" + Ffmpeg.freePort() + "/live.ts";
        var reconnect = new Reconnect(Duration.ofMillis(200), Duration.ofSeconds(2), 0.2, Duration.ofSeconds(3), true);
        Process server = Ffmpeg.serveHttpTs(clip, url);
        try (var topic = new FramesTopic(broker.bootstrapServers(), "reconnect");
             var producer = new FrameProducer(config(topic))) {
            var source = SourceSpec.parse("cam=" + url);
            assertEquals(SourceKind.LIVE, source.kind());
            var job = new IngestJob(source, config(topic), producer, new IngestMetrics(), reconnect);
            var result = CompletableFuture.supplyAsync(job::run);

            var items = topic.readUntil(i -> FramesTopic.frames(i) >= 15, Duration.ofSeconds(30));
            assertTrue(FramesTopic.frames(items) >= 15, "frames flow from the live source: " + items.size());

            Ffmpeg.kill(server); // the camera goes away until ingest has ended its session (read timeout 3 s)...
            items = topic.readUntil(FramesTopic::hasEnd, Duration.ofSeconds(14));
            server = Ffmpeg.serveHttpTs(clip, url); // ...and comes back

            items = topic.readUntil(i -> FramesTopic.bySession(i).size() >= 2
                    && FramesTopic.bySession(i).values().stream().skip(1).findFirst().orElseThrow().size() >= 10, Duration.ofSeconds(30));
            job.stop();
            IngestResult outcome = result.get(20, TimeUnit.SECONDS);
            items = topic.readUntil(i -> i.get(i.size() - 1).end() != null, Duration.ofSeconds(10));

            var sessions = new ArrayList<>(FramesTopic.bySession(items).entrySet());
            assertTrue(sessions.size() >= 2, "a new session after the reconnection: " + sessions.size());
            long first = assertWholeSession(sessions.get(0).getValue(), true);
            assertTrue(first >= 15, "the first session's frames, then its end record");
            var last = sessions.get(sessions.size() - 1);
            long resumed = assertWholeSession(last.getValue(), true);
            assertTrue(resumed >= 10, "frames resumed in the new session, from seq 0");
            assertNotEquals(sessions.get(0).getKey(), last.getKey());
            for (var s : sessions) {
                assertWholeSession(s.getValue(), true);
            }
            assertEquals(last.getKey(), outcome.session(), "the result names the last session");
            assertEquals(sessions.stream().map(java.util.Map.Entry::getKey).toList(),
                    outcome.sessions().stream().map(SessionReport::id).toList(), "the result lists every session that sent frames");
            assertEquals(sessions.stream().mapToLong(e -> e.getValue().size() - 1).sum(), outcome.framesSent(),
                    "frames over every session (each session's items end with its end record)");
            assertNull(outcome.error(), "stopped on request, not failed");
        } finally {
            Ffmpeg.kill(server);
        }
    }

    @Test
    void rtmpCameraIsRead(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("cam.mkv"), 96, 64, 50, 25);
        String url = "rtmp://127.0.0.1:" + Ffmpeg.freePort() + "/live/cam";
        readsOneLiveSession(url, Ffmpeg.serveRtmp(clip, url), "rtmp");
    }

    @Test
    void httpsCameraIsRead(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("cam.mkv"), 96, 64, 50, 25);
        String url = "https://127.0.0.1:" + Ffmpeg.freePort() + "/live.ts";
        readsOneLiveSession(url, Ffmpeg.serveHttpsTs(clip, url, dir), "https");
    }

    /** Reads at least 20 frames of the camera {@code server} serves at {@code url}, stops, and checks the one session. */
    private void readsOneLiveSession(String url, Process server, String topicName) throws Exception {
        try (var topic = new FramesTopic(broker.bootstrapServers(), topicName);
             var producer = new FrameProducer(config(topic))) {
            var source = SourceSpec.parse("cam=" + url);
            assertEquals(SourceKind.LIVE, source.kind());
            var job = new IngestJob(source, config(topic), producer, new IngestMetrics(),
                    new Reconnect(Duration.ofMillis(200), Duration.ofSeconds(2), 0.2, Duration.ofSeconds(3), true));
            var result = CompletableFuture.supplyAsync(job::run);
            var items = topic.readUntil(i -> FramesTopic.frames(i) >= 20, Duration.ofSeconds(30));
            job.stop();
            IngestResult outcome = result.get(20, TimeUnit.SECONDS);
            items = topic.readUntil(FramesTopic::hasEnd, Duration.ofSeconds(10));

            var sessions = new ArrayList<>(FramesTopic.bySession(items).values());
            assertEquals(1, sessions.size(), "one session while the server is up");
            long frames = assertWholeSession(sessions.get(0), true);
            assertTrue(frames >= 20, "frames from " + url + ": " + frames);
            var first = sessions.get(0).get(0).frame();
            assertEquals("96x64", first.width() + "x" + first.height());
            assertEquals(SourceKind.LIVE, first.sourceKind());
            assertNull(outcome.error());
            assertEquals(frames, outcome.framesSent());
        } finally {
            Ffmpeg.kill(server);
        }
    }

    @Test
    void resolutionChangeMidStreamIsFollowedFrameByFrame(@TempDir Path dir) throws Exception {
        Path a = TestClips.write(dir.resolve("a.mkv"), 96, 64, 10, 25);
        Path b = TestClips.write(dir.resolve("b.mkv"), 160, 90, 10, 25);
        Path ts = dir.resolve("both.ts");
        for (Path part : List.of(a, b)) {
            Ffmpeg.run("-i", part.toString(), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                    "-f", "mpegts", part + ".ts");
        }
        Files.write(ts, Files.readAllBytes(Path.of(a + ".ts")));
        Files.write(ts, Files.readAllBytes(Path.of(b + ".ts")), java.nio.file.StandardOpenOption.APPEND);

        try (var topic = new FramesTopic(broker.bootstrapServers(), "resize");
             var producer = new FrameProducer(config(topic))) {
            IngestResult result = new IngestJob(SourceSpec.parse("dash=" + ts), config(topic), producer).run();
            assertNull(result.error());
            var items = topic.readUntil(FramesTopic::hasEnd, Duration.ofSeconds(20));
            assertEquals(20, assertWholeSession(items, true));
            for (int i = 0; i < 20; i++) {
                var f = items.get(i).frame();
                String size = f.width() + "x" + f.height();
                assertEquals(i < 10 ? "96x64" : "160x90", size, "frame " + i);
                assertEquals(f.ingestTimeMs(), f.captureTimeMs(), "a file without creation_time: capture time = ingest time");
            }
        }
    }

    @Test
    void truncatedMp4GivesTheFramesBeforeTheCut(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("dash.mp4"), 128, 96, 50, 25);
        Path faststart = dir.resolve("faststart.mp4"); // moov first, as cameras that record in fragments or fast-start do
        Ffmpeg.run("-i", clip.toString(), "-c", "copy", "-movflags", "+faststart", faststart.toString());
        byte[] whole = Files.readAllBytes(faststart);
        Path cut = Files.write(dir.resolve("cut.mp4"), java.util.Arrays.copyOf(whole, whole.length * 6 / 10));

        try (var topic = new FramesTopic(broker.bootstrapServers(), "truncated");
             var producer = new FrameProducer(config(topic))) {
            IngestResult result = new IngestJob(SourceSpec.parse(cut.toString()), config(topic), producer).run();
            assertTrue(result.framesSent() > 0 && result.framesSent() < 50, "the frames before the cut: " + result.framesSent());
            if (result.error() != null) {
                assertTrue(result.error().startsWith("source 'cut' ("), result.error());
                assertEquals(-1, result.error().indexOf('\n'));
            }
            var items = topic.readUntil(FramesTopic::hasEnd, Duration.ofSeconds(20));
            assertEquals(result.framesSent(), assertWholeSession(items, true));
        }
    }

    @Test
    void bitFlippedMp4IsReadToTheEndOrStopsWithAOneLineError(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("dash.mp4"), 128, 96, 50, 25);
        byte[] bytes = Files.readAllBytes(clip);
        var random = new java.util.Random(7);
        for (int i = 0; i < 200; i++) { // damage the middle of the media data, leave the header readable
            int at = bytes.length / 4 + random.nextInt(bytes.length / 2);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
        Path flipped = Files.write(dir.resolve("flipped.mp4"), bytes);

        try (var topic = new FramesTopic(broker.bootstrapServers(), "flipped");
             var producer = new FrameProducer(config(topic))) {
            IngestResult result = new IngestJob(SourceSpec.parse(flipped.toString()), config(topic), producer).run();
            assertTrue(result.framesSent() > 0, "frames before the damage");
            assertTrue(result.framesSent() <= 50, "no more frames than the file has: " + result.framesSent());
            if (result.error() != null) {
                assertTrue(result.error().startsWith("source 'flipped' ("), result.error());
                assertEquals(-1, result.error().indexOf('\n'));
            }
            var items = topic.readUntil(FramesTopic::hasEnd, Duration.ofSeconds(20));
            assertEquals(result.framesSent(), assertWholeSession(items, true));
            assertNotNull(items.get(0).frame());
            assertEquals(128, items.get(0).frame().width());
        }
    }

    @Test
    void perStreamOptionsSampleScaleAndCutAFile(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("trip.mp4"), 160, 90, 50, 25);
        Path stamped = dir.resolve("stamped.mp4");
        Ffmpeg.run("-i", clip.toString(), "-c", "copy", "-metadata", "creation_time=2024-05-01T08:30:00.000000Z", stamped.toString());
        var options = SourceOptions.of(java.util.Map.of("fps", "5", "max-size", "80x80", "start", "0.4", "duration", "1.2",
                "jpeg-quality", "50", "pace", "realtime")); // capture-time=recorded is the default for files
        try (var topic = new FramesTopic(broker.bootstrapServers(), "options");
             var producer = new FrameProducer(config(topic))) {
            long started = System.nanoTime();
            IngestResult result = new IngestJob(SourceSpec.parse("trip=" + stamped).withOptions(options), config(topic), producer).run();
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertNull(result.error());
            var items = topic.readUntil(FramesTopic::hasEnd, Duration.ofSeconds(20));
            assertEquals(6, assertWholeSession(items, true), "0.4 s to 1.6 s at 5 fps");
            for (int i = 0; i < 6; i++) {
                var f = items.get(i).frame();
                assertEquals(400_000 + 200_000 * i, f.ptsMicros(), 20_000, "sampled by pts, frame " + i);
                assertEquals("80x45", f.width() + "x" + f.height(), "scaled down to fit, aspect kept");
                assertEquals(5.0, f.fps(), 1e-9);
                assertEquals(1714552200000L + f.ptsMicros() / 1000, f.captureTimeMs(), "creation_time + pts");
                assertTrue(Math.abs(f.ingestTimeMs() - System.currentTimeMillis()) < 60_000, "ingest.ms: when ingest read the frame");
            }
            assertTrue(tookMs >= 800, "paced at the file's own rate: 1 s of video took " + tookMs + " ms");
        }
    }

    @Test
    void maxSizeFollowsAResolutionChange(@TempDir Path dir) throws Exception {
        Path a = TestClips.write(dir.resolve("a.mkv"), 96, 64, 5, 25);
        Path b = TestClips.write(dir.resolve("b.mkv"), 160, 90, 5, 25);
        Path ts = dir.resolve("both.ts");
        for (Path part : List.of(a, b)) {
            Ffmpeg.run("-i", part.toString(), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mpegts", part + ".ts");
        }
        Files.write(ts, Files.readAllBytes(Path.of(a + ".ts")));
        Files.write(ts, Files.readAllBytes(Path.of(b + ".ts")), java.nio.file.StandardOpenOption.APPEND);
        var options = SourceOptions.of(java.util.Map.of("max-size", "80x80"));
        try (var topic = new FramesTopic(broker.bootstrapServers(), "resize-fit");
             var producer = new FrameProducer(config(topic))) {
            new IngestJob(SourceSpec.parse("dash=" + ts).withOptions(options), config(topic), producer).run();
            var items = topic.readUntil(FramesTopic::hasEnd, Duration.ofSeconds(20));
            assertEquals(10, assertWholeSession(items, true));
            for (int i = 0; i < 10; i++) {
                var f = items.get(i).frame();
                assertEquals(i < 5 ? "80x53" : "80x45", f.width() + "x" + f.height(), "frame " + i);
            }
        }
    }

    @Test
    void folderIsOneStreamWithASessionPerFileInNameOrder(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("dashcam"));
        TestClips.write(folder.resolve("0002.mkv"), 64, 48, 4, 25);
        TestClips.write(folder.resolve("0001.mkv"), 96, 64, 3, 25);
        Files.writeString(folder.resolve("0003.mp4"), "not a video"); // a damaged recording is reported and skipped
        Files.writeString(folder.resolve("index.txt"), "not a video file name");
        try (var topic = new FramesTopic(broker.bootstrapServers(), "folder");
             var producer = new FrameProducer(config(topic))) {
            IngestResult result = new IngestJob(SourceSpec.parse(folder.toString()), config(topic), producer).run();
            assertEquals("dashcam", result.stream());
            assertEquals(7, result.framesSent(), "frames of every file");
            assertEquals(List.of("0001.mkv", "0002.mkv", "0003.mp4"),
                    result.sessions().stream().map(r -> Path.of(r.source()).getFileName().toString()).toList());
            assertEquals(List.of(3L, 4L, 0L), result.sessions().stream().map(SessionReport::frames).toList());
            assertEquals(SessionReport.END_OF_INPUT, result.sessions().get(0).ended());
            assertTrue(result.sessions().get(2).ended().contains("0003.mp4"), "why the damaged file ended");
            assertTrue(result.error() != null && result.error().contains("0003.mp4"), String.valueOf(result.error()));
            var items = topic.readUntil(i -> i.stream().filter(x -> x.end() != null).count() >= 2, Duration.ofSeconds(20));
            var sessions = new ArrayList<>(FramesTopic.bySession(items).values());
            assertEquals(2, sessions.size());
            assertEquals(3, assertWholeSession(sessions.get(0), true));
            assertEquals(96, sessions.get(0).get(0).frame().width(), "0001 first");
            assertEquals("0001.mkv", sessions.get(0).get(0).frame().source(), "each frame names its file");
            assertEquals(4, assertWholeSession(sessions.get(1), true));
            assertEquals(result.session(), sessions.get(1).get(0).session());
        }
    }

    @Test
    void liveSourceThatGoesSilentIsReopenedAfterTheReadTimeout(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("cam.mkv"), 96, 64, 25, 25);
        Path ts = dir.resolve("cam.ts");
        Ffmpeg.run("-i", clip.toString(), "-c:v", "libx264", "-preset", "ultrafast", "-g", "5", "-pix_fmt", "yuv420p", "-f", "mpegts", ts.toString());
        byte[] body = Files.readAllBytes(ts);
        // A camera that sends its stream and then hangs with the connection open (no FIN, no data): only a
        // read timeout can notice. Every connection gets the same stream, then the silence.
        try (var camera = new LoopbackTsCamera(body, null)) {
            String url = camera.url();
            var reconnect = new Reconnect(Duration.ofMillis(200), Duration.ofSeconds(1), 0.2, Duration.ofSeconds(2), false);
            try (var topic = new FramesTopic(broker.bootstrapServers(), "silent");
                 var producer = new FrameProducer(config(topic))) {
                var job = new IngestJob(SourceSpec.parse("cam=" + url), config(topic), producer, new IngestMetrics(), reconnect);
                var result = CompletableFuture.supplyAsync(job::run);
                var items = topic.readUntil(i -> FramesTopic.bySession(i).size() >= 2 && FramesTopic.hasEnd(i), Duration.ofSeconds(30));
                job.stop();
                assertNull(result.get(20, TimeUnit.SECONDS).error());
                var sessions = new ArrayList<>(FramesTopic.bySession(items).values());
                assertTrue(sessions.size() >= 2, "reopened after the silence: " + sessions.size() + " sessions");
                assertTrue(assertWholeSession(sessions.get(0), true) > 0, "the silent session was closed with its end record");
                assertTrue(camera.connections() >= 2);
            }
        }
    }

    @Test
    void decoderThatNeverProducesAFrameIsAbandonedAndTheSourceReopened(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("cam.mkv"), 96, 64, 50, 25);
        Path ts = dir.resolve("cam.ts");
        Ffmpeg.run("-i", clip.toString(), "-c:v", "libx264", "-preset", "ultrafast", "-g", "5", "-pix_fmt", "yuv420p", "-f", "mpegts", ts.toString());
        byte[] body = Files.readAllBytes(ts);
        // MPEG-TS null packets (PID 0x1FFF): valid transport stream that the demuxer reads and discards for ever. Bytes
        // keep flowing, so no read timeout fires, and the decoder's grab never returns a frame.
        byte[] stuffing = new byte[188 * 20];
        for (int p = 0; p < 20; p++) {
            java.util.Arrays.fill(stuffing, p * 188, (p + 1) * 188, (byte) 0xFF);
            stuffing[p * 188] = 0x47;
            stuffing[p * 188 + 1] = 0x1F;
            stuffing[p * 188 + 2] = (byte) 0xFF;
            stuffing[p * 188 + 3] = 0x10;
        }
        try (var camera = new LoopbackTsCamera(body, stuffing)) {
            String url = camera.url();
            var reconnect = new Reconnect(Duration.ofMillis(200), Duration.ofSeconds(1), 0.2, Duration.ofSeconds(2), false);
            var metrics = new IngestMetrics();
            try (var topic = new FramesTopic(broker.bootstrapServers(), "stuffing");
                 var producer = new FrameProducer(config(topic))) {
                var job = new IngestJob(SourceSpec.parse("stall=" + url), config(topic), producer, metrics, reconnect);
                long started = System.nanoTime();
                var result = CompletableFuture.supplyAsync(job::run);
                var items = topic.readUntil(i -> i.stream().filter(x -> x.end() != null).count() >= 2, Duration.ofSeconds(40));
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                job.stop();
                assertNull(result.get(20, TimeUnit.SECONDS).error(), "stopped on request");
                var sessions = new ArrayList<>(FramesTopic.bySession(items).values());
                assertTrue(sessions.size() >= 2, "a new session after the stall: " + sessions.size());
                for (var s : sessions.subList(0, 2)) {
                    assertTrue(assertWholeSession(s, true) > 0, "each stalled session sent its frames and its end record");
                }
                assertTrue(metrics.decoderStalls.labelValues("stall").get() >= 2, "stalls are counted");
                assertTrue(metrics.sourceErrors.labelValues("stall").get() >= 2);
                System.out.printf("decoder watchdog: two stalled sessions ended and reopened in %d ms%n", tookMs);
            }
            camera.close();
            // The abandoned grabs return once their connections are gone; each thread closes its decoder and ends.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertEquals(0, decoderThreads("stall"), "abandoned decoders are closed when their call returns"));
        }
    }

    private static long decoderThreads(String stream) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("segstream-decoder-" + stream)).count();
    }
}
