package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.ingest.FrameProducer;
import org.segstream.ingest.IngestConfig;
import org.segstream.scenes.TestPattern;
import org.segstream.segmenter.SegmenterApp;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.testsupport.KafkaBrokerExtension;
import org.segstream.testsupport.ServiceProcess;
import org.segstream.testsupport.TestTopics;
import org.segstream.video.VideoFileInfo;

/**
 * Kill -9 the sink (a separate JVM) while it writes a live stream's overlay segment, restart it, and
 * find every frame in exactly one finalised segment, no partial file under a final name.
 */
class SinkCrashIT {
    static final int FRAMES = 60;
    static final int PER_SEGMENT = 10; // 1 s segments at 10 fps
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    @Test
    void aSinkKilledMidSegmentRebuildsItAndWritesEveryFrameOnce(@TempDir Path dir) throws Exception {
        Topics topics = Topics.defaults();
        Path out = dir.resolve("out");
        TestTopics.create(broker.bootstrapServers(), topics, 2);
        var segmenterConfig = SegmenterConfig.of(broker.bootstrapServers(), topics,
                Path.of("..", "models", "fcn8s-slim.json"), dir.resolve("state"));
        try (var segmenter = SegmenterApp.start(segmenterConfig);
             var camera = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), topics))) {
            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            env.put("SEGSTREAM_OUT_DIR", out.toString());
            env.put("SEGSTREAM_SEGMENT_SECONDS", "1");
            env.put("SEGSTREAM_METRICS_PORT", "0");
            env.put("KAFKA_CLIENT_SESSION_TIMEOUT_MS", "6000");
            Path streamDir = out.resolve("cam").resolve("s1"); // the session's folder
            var sent = new AtomicInteger();
            try (var sink = ServiceProcess.start(SinkMain.class, env, dir.resolve("sink-1.log"))) {
                // A live camera, a frame a poll, until the sink has finished two segments and is inside the third.
                sink.awaitWhileAlive("two segments finished and the third open", Duration.ofSeconds(120), () -> {
                    if (finalFiles(streamDir).size() >= 2 && partFiles(streamDir) == 1) {
                        return true;
                    }
                    if (sent.get() < FRAMES) {
                        send(camera, sent.getAndIncrement());
                    }
                    return false;
                });
                sink.kill();
            }
            int seq = sent.get();
            assertTrue(partFiles(streamDir) == 1, "killed with a segment half written");
            while (seq < FRAMES) {
                send(camera, seq++);
            }
            camera.sendEnd(new StreamEnd("cam", "s1", FRAMES));
            camera.flush();
            try (var sink = ServiceProcess.start(SinkMain.class, env, dir.resolve("sink-2.log"))) {
                sink.awaitWhileAlive("every segment finished", Duration.ofSeconds(120),
                        () -> finalFiles(streamDir).size() >= FRAMES / PER_SEGMENT && partFiles(streamDir) == 0);
                // nothing else may appear
                Awaitility.await("no further segment").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                        .until(() -> finalFiles(streamDir).size() == FRAMES / PER_SEGMENT && partFiles(streamDir) == 0);
            }
        }
        List<Path> files = finalFiles(out.resolve("cam/s1"));
        assertEquals(FRAMES / PER_SEGMENT, files.size(), files.toString());
        var utc = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
        for (int i = 0; i < files.size(); i++) {
            assertEquals(utc.format(java.time.Instant.ofEpochMilli(captureMs(i * PER_SEGMENT))) + ".mp4",
                    files.get(i).getFileName().toString(), "segments named by the UTC capture time of their first frame");
            assertEquals(PER_SEGMENT, frames(files.get(i)), files.get(i) + " holds exactly its segment's frames");
        }
        assertEquals(0, partFiles(out.resolve("cam/s1")));
    }

    /** The camera's clock: 10 fps from a fixed start, so each 1 s segment holds exactly 10 frames. */
    private static final long CAMERA_START_MS = System.currentTimeMillis() / 1000 * 1000;

    private static long captureMs(int seq) {
        return CAMERA_START_MS + seq * 100L;
    }

    private static void send(FrameProducer camera, int seq) throws InterruptedException {
        camera.sendFrame(new FrameIdentity("cam", "s1", seq, seq * 100_000L, captureMs(seq), 160, 96, 10, "jpeg",
                SourceKind.LIVE, System.currentTimeMillis()), JpegCodec.encode(TestPattern.frame(seq, 160, 96), 85));
        camera.flush();
        Thread.sleep(100); // the camera's 10 fps, not a wait
    }

    static List<Path> finalFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d{8}T\\d{6}\\.\\d{3}Z\\.mp4")).sorted().toList();
        }
    }

    static long partFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).count();
        }
    }

    static int frames(Path file) throws Exception {
        return VideoFileInfo.read(file).frames();
    }
}
