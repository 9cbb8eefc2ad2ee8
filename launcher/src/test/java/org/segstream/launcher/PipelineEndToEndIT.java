package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.MaskPng;
import org.segstream.contract.RecordKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.scenes.TestClips;
import org.segstream.scenes.TestPattern;
import org.segstream.scenes.street.SynthClip;
import org.segstream.segmenter.model.Device;
import org.segstream.sink.FrameTimeline;
import org.segstream.testsupport.KafkaBrokerExtension;
import org.segstream.testsupport.Waits;
import org.segstream.verify.DemoScore;
import org.segstream.video.VideoFileInfo;

/**
 * The walking skeleton, end to end on a real broker: generated lossless clips (one of odd size) and
 * two bad sources go through ingest, the segmenter (real FCN-8s in ONNX Runtime) and the sink.
 */
class PipelineEndToEndIT {
    static final Path MODEL = Path.of("..", "models", "fcn8s-slim.json");
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    @Test
    void everyFrameComesOutExactlyOnceInOrderWithAMaskOfItsSize(@TempDir Path dir) throws Exception {
        Path odd = TestClips.write(dir.resolve("odd.mkv"), 163, 97, 30, 25);
        Path even = TestClips.write(dir.resolve("even.mkv"), 192, 108, 20, 30);
        Path notVideo = Files.writeString(dir.resolve("notes.mp4"), "not a video\n".repeat(50));
        Path out = dir.resolve("out");
        var printed = new ByteArrayOutputStream();

        var options = new PipelineRun.Options(
                List.of(odd.toString(), "second=" + even, dir.resolve("missing.mp4").toString(), notVideo.toString()),
                out, MODEL, 4, true, 2, Device.CPU);
        var timed = new StageTimes();
        var outcome = PipelineRun.runOn(broker.bootstrapServers(), options, new PrintStream(printed, true, StandardCharsets.UTF_8), timed);

        // The summary: both clips complete, both bad sources named with their reason.
        assertTrue(outcome.anySourceRead());
        Map<String, RunSummary.Row> rows = new HashMap<>();
        outcome.summary().streams().forEach(r -> rows.put(r.stream(), r));
        assertRow(rows.get("odd"), 30);
        assertRow(rows.get("second"), 20);
        assertEquals("source 'missing' (" + dir.resolve("missing.mp4") + "): no such file", rows.get("missing").error());
        assertTrue(rows.get("notes").error().startsWith("source 'notes' (" + notVideo + "): cannot open or decode"),
                rows.get("notes").error());
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("odd"), "the table is printed");
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"frames_written\" : 30"));
        // Every mask carries the segmenter's times, so each frame's latency splits into known stages.
        assertEquals(50, timed.frames);
        for (int stage = 0; stage < FrameTimeline.STAGES.size(); stage++) {
            assertEquals(timed.frames, timed.timed[stage], "stage " + FrameTimeline.STAGES.get(stage) + " timed on every frame");
        }

        // The masks topic, as any read_committed consumer sees it.
        Map<String, List<ConsumerRecord<String, byte[]>>> masks = readMasksUntilEnds(Topics.defaults(), 2);
        checkMasks(masks.get("odd"), 30, 163, 97);
        checkMasks(masks.get("second"), 20, 192, 108);

        // The sink's files: the overlay decodes to every frame at the source size, one mask PNG per frame.
        Path oddSession = StreamFiles.onlySession(out, "odd");
        Path secondSession = StreamFiles.onlySession(out, "second");
        assertTrue(oddSession.getFileName().toString().endsWith("_odd.mkv"), "the session folder names its file: " + oddSession);
        assertEquals(30, StreamFiles.overlayFrames(oddSession.resolve("overlay-000000.mp4"), 163, 97));
        assertEquals(20, StreamFiles.overlayFrames(secondSession.resolve("overlay-000000.mp4"), 192, 108));
        assertEquals("h264,163,97,30", StreamFiles.ffprobe(oddSession.resolve("overlay-000000.mp4")), "a standard player's view");
        assertEquals("h264,192,108,20", StreamFiles.ffprobe(secondSession.resolve("overlay-000000.mp4")));
        assertEquals(30, StreamFiles.count(oddSession.resolve("masks")));
        ClassMap mask = MaskPng.decode(Files.readAllBytes(oddSession.resolve("masks/000029.png")));
        assertEquals(163, mask.width());
        assertEquals(97, mask.height());
        try (Stream<Path> all = Files.walk(out)) {
            assertTrue(all.noneMatch(p -> p.toString().endsWith(".part")), "no partial files left");
        }
    }

    @Test
    void masksFromThePipelineScoreLikeTheModelRunOfflineOnTheSameFrames(@TempDir Path dir) throws Exception {
        // The model's own scale (it was trained on 640x360 scenes); at small sizes JPEG noise alone moves the score.
        var scene = SynthClip.write(dir.resolve("scene"), 7, 2, 640, 360, 25);
        Path out = dir.resolve("out");
        var options = new PipelineRun.Options(List.of("street=" + scene.video()), out, MODEL, 4, true, 2, Device.CPU);
        PipelineRun.runOn(broker.bootstrapServers(), options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        DemoScore.Result score = DemoScore.measure(scene.video(), scene.groundTruth(), StreamFiles.onlySession(out, "street").resolve("masks"), MODEL, Device.CPU);
        assertEquals(50, score.frames());
        assertEquals(0, score.missingMasks());
        // JPEG on the bus is the only difference between the two; misalignment or mixed frames would show at once.
        assertTrue(score.agreement() > 0.97, "pipeline and offline masks agree on " + score.agreement() + " of pixels");
        // On 50 frames a rare class (a dog in a few frames) moves the mean by a point or two from JPEG noise alone;
        // the demo's 250 frames agree within 0.1 point.
        assertTrue(score.differencePoints() < 3.0, "pipeline " + score.pipeline().meanIou() + " vs offline " + score.offline().meanIou());
    }

    private static void assertRow(RunSummary.Row row, long frames) {
        assertNull(row.error());
        assertEquals(frames, row.framesIn());
        assertEquals(frames, row.framesSegmented());
        assertEquals(frames, row.framesWritten());
        assertEquals(0, row.framesShed());
        assertEquals(0, row.framesDeadLettered());
        assertEquals(1, row.sessions().size());
        assertEquals(frames, row.sessions().get(0).framesWritten());
        assertTrue(row.latencyP50Ms() >= 0 && row.latencyP99Ms() >= row.latencyP50Ms());
    }

    /** Each stream: seq 0..n-1 exactly once and in order, then its end record; every mask is its own frame's. */
    private static void checkMasks(List<ConsumerRecord<String, byte[]>> records, int frames, int width, int height) {
        assertEquals(frames + 1, records.size(), "n masks and one end record");
        try (var frameReader = consumer(false)) {
            for (int seq = 0; seq < frames; seq++) {
                ConsumerRecord<String, byte[]> record = records.get(seq);
                FrameIdentity identity = FrameIdentity.readFrom(record.headers());
                assertEquals(seq, identity.seq());
                ClassMap mask = MaskPng.decode(record.value());
                assertEquals(width, mask.width());
                assertEquals(height, mask.height());
                // The frame the mask points at is the frame with this sequence number and content.
                int partition = (int) HeaderValues.integer(record.headers(), HeaderNames.FRAME_PARTITION);
                long offset = HeaderValues.integer(record.headers(), HeaderNames.FRAME_OFFSET);
                var tp = new TopicPartition(Topics.FRAMES.name(), partition);
                frameReader.assign(List.of(tp));
                frameReader.seek(tp, offset);
                ConsumerRecord<String, byte[]> frame = frameReader.poll(Duration.ofSeconds(10)).records(tp).get(0);
                assertEquals(seq, FrameIdentity.readFrom(frame.headers()).seq());
                assertEquals(seq, TestPattern.readIndex(JpegCodec.decode(frame.value(), 1 << 24)), "frame content matches its seq");
            }
        }
        ConsumerRecord<String, byte[]> last = records.get(frames);
        assertEquals(RecordKind.END, StreamEnd.kindOf(last.headers()));
        assertEquals(frames, StreamEnd.readFrom(last.headers()).frameCount());
    }

    private static Map<String, List<ConsumerRecord<String, byte[]>>> readMasksUntilEnds(Topics topics, int streams) {
        Map<String, List<ConsumerRecord<String, byte[]>>> byStream = new HashMap<>();
        var ends = new AtomicInteger();
        try (var consumer = consumer(true)) {
            consumer.subscribe(List.of(topics.masks()));
            // the callers assert on what was read
            Waits.readUntil(streams + " end records on " + topics.masks(), Duration.ofSeconds(60), () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    byStream.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
                    if (StreamEnd.kindOf(record.headers()) == RecordKind.END) {
                        ends.incrementAndGet();
                    }
                }
                return ends.get() >= streams;
            });
        }
        return byStream;
    }

    private static KafkaConsumer<String, byte[]> consumer(boolean group) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (group) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "verifier-" + System.nanoTime());
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Reading what the sink wrote. */
    static final class StreamFiles {
        static int overlayFrames(Path file, int width, int height) throws Exception {
            VideoFileInfo info = VideoFileInfo.read(file);
            assertEquals(new VideoFileInfo("h264", width, height, info.frames()), info);
            return info.frames();
        }

        /** "codec,width,height,frames" as Debian's ffprobe counts them. */
        static String ffprobe(Path file) throws Exception {
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                    "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, p.waitFor(), "ffprobe (apt-get install ffmpeg): " + out);
            return out;
        }

        /** The folder of a stream's one session ({@code <out>/<stream>/<session>[_<file>]}). */
        static Path onlySession(Path out, String stream) throws Exception {
            List<Path> sessions = sessions(out, stream);
            assertEquals(1, sessions.size(), "one session of " + stream + ": " + sessions);
            return sessions.get(0);
        }

        /** A stream's session folders, oldest first (their names start with the session's UTC start time). */
        static List<Path> sessions(Path out, String stream) throws Exception {
            try (Stream<Path> dirs = Files.list(out.resolve(stream))) {
                return dirs.filter(Files::isDirectory).sorted().toList();
            }
        }

        /** Duration in seconds as Debian's ffprobe reads the container. */
        static double ffprobeSeconds(Path file) throws Exception {
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                    file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, p.waitFor(), "ffprobe (apt-get install ffmpeg): " + out);
            return Double.parseDouble(out);
        }

        static long count(Path dir) throws Exception {
            try (Stream<Path> files = Files.list(dir)) {
                return files.count();
            }
        }
    }

    /** Counts the frames the sink wrote, and per stage those whose timeline has a time for it. */
    private static final class StageTimes implements RunListener {
        final int[] timed = new int[FrameTimeline.STAGES.size()];
        int frames;

        @Override
        public synchronized void frameWritten(FrameIdentity frame, BgrImage overlay, FrameTimeline timeline) {
            frames++;
            long[] stages = timeline.stageMillis();
            for (int s = 0; s < stages.length; s++) {
                timed[s] += stages[s] >= 0 ? 1 : 0;
            }
        }
    }
}
