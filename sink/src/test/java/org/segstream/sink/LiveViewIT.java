package org.segstream.sink;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.SourceKind;
import org.segstream.contract.Topics;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.scenes.TestPattern;
import org.segstream.segmenter.SegmenterApp;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.testsupport.TestTopics;

/**
 * The sink's live page in a real headless Chromium (Debian's package): it loads, a stream's picture
 * updates, its fps is the camera's over the last seconds (not the burst rate of masks arriving in
 * batches), and a camera that stops shows as offline, then live again when it resumes. The page and
 * {@code /api/streams} agree.
 */
class LiveViewIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Pattern FIGURE = Pattern.compile("<figure id=\"stream-cam\"[^>]*>.*?</figure>", Pattern.DOTALL);
    static final int CAMERA_FPS = 5;

    @Test
    void thePageShowsTheStreamItsRateAndWhenItGoesOffline(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "Chromium is missing: apt-get install chromium");
        Topics topics = Topics.defaults();
        try (var broker = EmbeddedKafkaBroker.start()) {
            TestTopics.create(broker.bootstrapServers(), topics, 1);
            var segmenterConfig = SegmenterConfig.of(broker.bootstrapServers(), topics, Path.of("..", "models", "fcn8s-slim.json"),
                    dir.resolve("state"));
            AtomicBoolean filming = new AtomicBoolean(true);
            AtomicBoolean sending = new AtomicBoolean(true);
            try (var live = LiveView.start("127.0.0.1", 0);
                 var segmenter = SegmenterApp.start(segmenterConfig);
                 var sink = SinkApp.start(SinkConfig.of(broker.bootstrapServers(), topics, dir.resolve("out"), false), live);
                 var camera = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), topics))) {
                Thread cameraThread = new Thread(() -> {
                    long next = System.nanoTime(); // a fixed rate: sending takes time too
                    for (int seq = 0; filming.get() && seq < 600; ) {
                        if (sending.get()) {
                            camera.sendFrame(new FrameIdentity("cam", "s1", seq, seq * 1_000_000L / CAMERA_FPS, System.currentTimeMillis(),
                                    192, 108, CAMERA_FPS, "jpeg", SourceKind.LIVE), JpegCodec.encode(TestPattern.frame(seq, 192, 108), 85));
                            camera.flush();
                            seq++;
                        }
                        next += TimeUnit.SECONDS.toNanos(1) / CAMERA_FPS;
                        try {
                            TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                cameraThread.start();
                try {
                    String url = "http://127.0.0.1:" + live.port() + "/";
                    Figure first = await("the stream never showed on the page").atMost(Duration.ofSeconds(90)).pollInSameThread()
                            .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)) // each poll runs a headless browser
                            .until(() -> figure(dumpDom(url, dir)), f -> f != null && f.loadedWidth() != 0);
                    long caughtUpAt = awaitCaughtUp(live.port());
                    Thread.sleep(2500); // the camera goes on meanwhile, for the next look at the page: not a wait
                    Figure second = figure(dumpDom(url, dir));

                    assertEquals(192, first.loadedWidth(), "the overlay image loaded at the stream's size");
                    assertTrue(second.loadedSeq() > first.loadedSeq(), "the picture updates: " + first + " then " + second);
                    assertTrue(second.caption().contains("192x108") && second.caption().contains("fps"), second.caption());

                    // Once the start-up backlog (frames sent before the segmenter and sink were reading) has left the
                    // 5 s window, the page reads the camera's rate.
                    TimeUnit.NANOSECONDS.sleep(caughtUpAt + TimeUnit.SECONDS.toNanos(6) - System.nanoTime());
                    Figure steady = figure(dumpDom(url, dir));
                    JsonNode steadyRow = streamRow(live.port());
                    assertTrue(steady.dataOnline().equals("true") && steady.state().equals("live"), "a stream sending 5 fps is live: " + steady);
                    assertTrue(steady.fps() >= 4.5 && steady.fps() <= 5.5, "a 5 fps camera reads 5 fps: " + steady.caption());
                    assertEquals(steadyRow.get("fps").asDouble(), steady.fps(), 0.5, "the page shows /api/streams' figure: " + steadyRow);
                    assertTrue(steadyRow.get("online").asBoolean(), steadyRow.toString());
                    assertTrue(steadyRow.get("last_frame_age_ms").asLong() < 5000, steadyRow.toString());

                    // The camera stops for 10 s: the stream goes offline, at 0 fps.
                    sending.set(false);
                    Thread.sleep(10_000); // the scenario's 10 s of silence, not a wait
                    Figure stopped = figure(dumpDom(url, dir));
                    JsonNode stoppedRow = streamRow(live.port());
                    assertEquals("false", stopped.dataOnline(), "a camera silent for 10 s is offline: " + stopped);
                    assertTrue(stopped.state().startsWith("offline"), stopped.state());
                    assertEquals(0.0, stopped.fps(), stopped.caption());
                    assertFalse(stoppedRow.get("online").asBoolean(), stoppedRow.toString());
                    assertEquals(0.0, stoppedRow.get("fps").asDouble(), stoppedRow.toString());
                    assertTrue(stoppedRow.get("last_frame_age_ms").asLong() > 5000, stoppedRow.toString());

                    // It resumes: live again.
                    sending.set(true);
                    await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                            assertTrue(streamRow(live.port()).get("online").asBoolean(), "the stream never came back online"));
                    Figure back = figure(dumpDom(url, dir));
                    assertTrue(back.dataOnline().equals("true") && back.state().equals("live"), "live again: " + back);
                    assertTrue(back.loadedSeq() > stopped.loadedSeq(), "with new pictures: " + stopped + " then " + back);
                } finally {
                    filming.set(false);
                    cameraThread.join();
                }
            }
        }
    }

    /** What the page shows of one stream: its picture, caption ("192x108 · 5.0 fps · ..."), badge and data-online. */
    record Figure(long loadedSeq, int loadedWidth, String caption, String state, String dataOnline) {
        double fps() {
            Matcher m = Pattern.compile("([0-9.]+) fps").matcher(caption);
            assertTrue(m.find(), "no fps in the caption: " + caption);
            return Double.parseDouble(m.group(1));
        }
    }

    /** The stream's figure as the browser rendered it, or null while the page shows no such stream yet. */
    static Figure figure(String dom) {
        Matcher m = FIGURE.matcher(dom);
        if (!m.find()) {
            return null;
        }
        String html = m.group();
        Matcher seq = Pattern.compile("data-loaded-seq=\"(\\d+)\"").matcher(html);
        Matcher width = Pattern.compile("data-loaded=\"(\\d+)\"").matcher(html);
        Matcher caption = Pattern.compile("<span class=\"stats\">(.*?)</span>").matcher(html);
        Matcher state = Pattern.compile("<span class=\"state\">(.*?)</span>").matcher(html);
        Matcher online = Pattern.compile("^<figure[^>]* data-online=\"(\\w+)\"").matcher(html);
        return new Figure(seq.find() ? Long.parseLong(seq.group(1)) : -1, width.find() ? Integer.parseInt(width.group(1)) : 0,
                caption.find() ? caption.group(1) : "", state.find() ? state.group(1) : "",
                online.find() ? online.group(1) : "");
    }

    /** Waits until the newest frame written is under a second old: the pipeline has caught up with the camera. */
    static long awaitCaughtUp(int port) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode row = streamRow(port);
            assertTrue(row.get("latency_ms").asLong() < 1000, "the pipeline never caught up with the camera: " + row);
        });
        return System.nanoTime();
    }

    /** The "cam" row of the live view's /api/streams. */
    static JsonNode streamRow(int port) throws Exception {
        var response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/streams")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode row : new ObjectMapper().readTree(response.body())) {
            if (row.get("stream").asText().equals("cam")) {
                return row;
            }
        }
        throw new AssertionError("no stream 'cam' in /api/streams: " + response.body());
    }

    /** Loads the page in headless Chromium, lets its scripts run for 3 s, and returns the DOM. */
    static String dumpDom(String url, Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"),
                "--virtual-time-budget=3000", "--dump-dom", url));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not finish");
        }
        return dom;
    }
}
