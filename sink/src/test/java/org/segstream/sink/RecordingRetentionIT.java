package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
 * Recordings retention while a camera runs: the sink deletes the oldest finished segments once the
 * output folder is over SEGSTREAM_RETENTION_MAX_GB, keeps the newest, and never touches the open file.
 */
class RecordingRetentionIT {
    static final long LIMIT_BYTES = 60_000;
    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void theOldestSegmentsGoWhileTheCameraRunsAndTheOpenFileStays(@TempDir Path dir) throws Exception {
        Topics topics = Topics.defaults();
        Path out = dir.resolve("out");
        try (var broker = EmbeddedKafkaBroker.start()) {
            TestTopics.create(broker.bootstrapServers(), topics, 1);
            SinkConfig sinkConfig = SinkConfig.from(org.segstream.config.Settings.of(Map.of("SEGSTREAM_OUT_DIR", out.toString(),
                    "SEGSTREAM_SEGMENT_SECONDS", "1", "SEGSTREAM_RETENTION_MAX_GB", String.valueOf(LIMIT_BYTES / 1e9))),
                    org.segstream.config.KafkaConnection.plain(broker.bootstrapServers()));
            var segmenterConfig = SegmenterConfig.of(broker.bootstrapServers(), topics, Path.of("..", "models", "fcn8s-slim.json"),
                    dir.resolve("state"));
            long start = System.currentTimeMillis() / 1000 * 1000;
            try (var segmenter = SegmenterApp.start(segmenterConfig);
                 var sink = SinkApp.start(sinkConfig, SinkListener.NONE);
                 var camera = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), topics))) {
                Path session = out.resolve("cam").resolve("s1");
                boolean prunedWhileOpen = false;
                // A 10 fps camera for 30 s of capture time: 30 one-second segments, far more than the limit holds.
                for (int seq = 0; seq < 300; seq++) {
                    long capture = start + seq * 100L;
                    camera.sendFrame(new FrameIdentity("cam", "s1", seq, seq * 100_000L, capture, 160, 96, 10, "jpeg",
                            SourceKind.LIVE, System.currentTimeMillis()), JpegCodec.encode(TestPattern.frame(seq, 160, 96), 85));
                    camera.flush();
                    Thread.sleep(100); // the camera's 10 fps, not a wait
                    List<String> names = names(session);
                    if (seq > 100 && !names.contains(segment(start)) && names.stream().anyMatch(n -> n.endsWith(".part"))) {
                        prunedWhileOpen = true; // the first segment is gone while a segment is being written
                    }
                }
                assertTrue(sink.healthy());
                List<String> names = names(session);
                List<String> finished = names.stream().filter(n -> n.endsWith(".mp4")).sorted().toList();
                assertTrue(prunedWhileOpen, "the oldest segments were pruned while the camera ran: " + names);
                assertTrue(names.stream().anyMatch(n -> n.endsWith(".mp4.part")), "the open file is never pruned: " + names);
                assertTrue(finished.size() < 29, "segments were pruned: " + finished);
                assertTrue(!finished.isEmpty(), "the newest segments are kept: " + names);
                // What is left is the newest run of segments, without holes: oldest first went.
                int first = (int) ((Instant.from(UTC.parse(finished.get(0).replace(".mp4", ""))).toEpochMilli() - start) / 1000);
                for (int i = 0; i < finished.size(); i++) {
                    assertEquals(segment(start + (first + i) * 1000L), finished.get(i), "kept: " + finished);
                }
                long bytes = 0;
                for (String name : finished) {
                    bytes += Files.size(session.resolve(name));
                }
                long largest = 0;
                for (String name : finished) {
                    largest = Math.max(largest, Files.size(session.resolve(name)));
                }
                assertTrue(bytes <= LIMIT_BYTES + 11 * largest, "kept " + bytes + " bytes against a limit of " + LIMIT_BYTES
                        + " (checked every 10 s, at 1 segment a second)");
            }
        }
    }

    private static String segment(long captureMs) {
        return UTC.format(Instant.ofEpochMilli(captureMs)) + ".mp4";
    }

    private static List<String> names(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
