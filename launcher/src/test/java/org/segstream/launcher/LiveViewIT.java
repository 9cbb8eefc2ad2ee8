package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
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
import org.segstream.sink.LiveView;
import org.segstream.sink.SinkApp;
import org.segstream.sink.SinkConfig;

/** The sink's live page in a real headless Chromium (Debian's package): it loads, and a stream's picture updates. */
class LiveViewIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Pattern FIGURE = Pattern.compile("<figure id=\"stream-cam\">.*?</figure>", Pattern.DOTALL);

    @Test
    void thePageShowsTheStreamAndItsPictureUpdates(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "Chromium is missing: apt-get install chromium");
        Topics topics = Topics.defaults();
        try (var broker = EmbeddedKafkaBroker.start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                TopicSetup.ensure(admin, topics, 1, (short) 1);
            }
            var segmenterConfig = SegmenterConfig.of(broker.bootstrapServers(), topics, Path.of("..", "models", "fcn8s-slim.json"),
                    dir.resolve("state"));
            AtomicBoolean filming = new AtomicBoolean(true);
            try (var live = LiveView.start("127.0.0.1", 0);
                 var segmenter = SegmenterApp.start(segmenterConfig);
                 var sink = SinkApp.start(SinkConfig.of(broker.bootstrapServers(), topics, dir.resolve("out"), false), live);
                 var camera = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), topics))) {
                Thread cameraThread = new Thread(() -> {
                    for (int seq = 0; filming.get() && seq < 600; seq++) {
                        camera.sendFrame(new FrameIdentity("cam", "s1", seq, seq * 100_000L, System.currentTimeMillis(), 192, 108, 10,
                                "jpeg", SourceKind.LIVE), JpegCodec.encode(TestPattern.frame(seq, 192, 108), 85));
                        camera.flush();
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                cameraThread.start();
                try {
                    String url = "http://127.0.0.1:" + live.port() + "/";
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    Figure first;
                    do {
                        assertTrue(System.nanoTime() < deadline, "the stream never showed on the page");
                        first = figure(dumpDom(url, dir));
                    } while (first == null || first.loadedWidth() == 0);
                    Thread.sleep(2500);
                    Figure second = figure(dumpDom(url, dir));

                    assertEquals(192, first.loadedWidth(), "the overlay image loaded at the stream's size");
                    assertTrue(second.loadedSeq() > first.loadedSeq(), "the picture updates: " + first + " then " + second);
                    assertTrue(second.caption().contains("192x108") && second.caption().contains("fps"), second.caption());
                } finally {
                    filming.set(false);
                    cameraThread.join();
                }
            }
        }
    }

    record Figure(long loadedSeq, int loadedWidth, String caption) {
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
        return new Figure(seq.find() ? Long.parseLong(seq.group(1)) : -1, width.find() ? Integer.parseInt(width.group(1)) : 0,
                caption.find() ? caption.group(1) : "");
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
