package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.MaskPng;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;
import org.segstream.contract.Untrusted;
import org.segstream.video.VideoFileInfo;

/**
 * The sink against hostile masks, through MockConsumers and a fake clock: no record stops it, what it
 * keeps per stream stays within its limits, a session that never ends does not hold the committed
 * offset back, and a disk that cannot be written stops it with health saying so.
 */
class SinkAppTest {
    @TempDir
    Path dir;
    private final FakeTopics topics = new FakeTopics();
    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private PrometheusRegistry registry;
    private Events events;
    private final List<SinkApp> started = new ArrayList<>();
    private FakeTopics.MasksConsumer masks;
    private int fed;
    private int probes;

    /** What the sink told its listener. */
    static final class Events implements SinkListener {
        final List<String> written = new CopyOnWriteArrayList<>();
        final List<String> missing = new CopyOnWriteArrayList<>();
        final List<String> evicted = new CopyOnWriteArrayList<>();
        final List<String> ended = new CopyOnWriteArrayList<>();

        @Override
        public void streamEnded(StreamEnd end, long framesWritten) {
            ended.add(end.stream() + "/" + end.session());
        }

        @Override
        public void frameWritten(FrameIdentity frame, BgrImage overlay, FrameTimeline timeline) {
            written.add(frame.stream() + "#" + frame.seq());
        }

        @Override
        public void framesMissing(String stream, long count, String reason) {
            missing.add(stream + ":" + reason);
        }

        @Override
        public void streamEvicted(String stream) {
            evicted.add(stream);
        }
    }

    @AfterEach
    void stop() {
        started.forEach(SinkApp::close);
    }

    private SinkApp start(Path out, StreamLimits limits) {
        masks = topics.masksConsumer();
        fed = 0;
        registry = new PrometheusRegistry(); // a restarted sink is a new process
        events = new Events();
        SinkConfig config = SinkConfig.of("unused:9092", Topics.defaults(), out, false).withLimits(limits);
        SinkApp app = SinkApp.start(config, events, registry, masks, topics.fetcher(clock::get), clock::get);
        masks.rebalance(List.of(FakeTopics.MASKS_0));
        started.add(app);
        return app;
    }

    /**
     * Hands the sink every mask made so far and waits until it has handled them all: until it reports
     * the end of a probe stream sent last (records of a partition are handled in order).
     */
    private void feed(SinkApp app) {
        String probe = "probe-" + probes++;
        topics.end(probe, "s", 0);
        for (; fed < topics.masks.size(); fed++) {
            masks.addRecord(topics.masks.get(fed));
        }
        await(() -> events.ended.contains(probe + "/s") || !app.healthy(), "the sink handles every record");
    }

    @Test
    void noRecordStopsTheSinkAndEveryOneIsCountedWithItsReason() throws Exception {
        Path out = dir.resolve("out");
        SinkApp app = start(out, StreamLimits.DEFAULTS);
        var png = MaskPng.encode(new ClassMap(FakeTopics.W, FakeTopics.H, new byte[FakeTopics.W * FakeTopics.H]));
        topics.record("no-headers", new RecordHeaders(), new byte[] {1, 2, 3});                      // invalid
        topics.mask(live("nul\u0000id", 0), 99, 0, png);                                              // no_such_frame (partition 99)
        topics.frame("x".repeat(300), "s1", 0);                                                       // bad_name
        topics.mask(live("cam-far", 0), 0, 1_000_000, png);                                          // no_such_frame (offset)
        long badJpeg = topics.frames.append(new byte[] {(byte) 0xff, (byte) 0xd8, 0, 0});
        topics.mask(live("cam-badjpeg", 0), 0, badJpeg, png);                                         // invalid
        long goodFrame = HeaderValues.integer(topics.frame("cam-forged", "s1", 0).headers(), HeaderNames.FRAME_OFFSET);          // written
        byte[] forged = png.clone();
        forged[16] = 0; forged[17] = 0; forged[18] = (byte) 0xea; forged[19] = 0x60; // IHDR width 60000
        forged[20] = 0; forged[21] = 0; forged[22] = (byte) 0xea; forged[23] = 0x60; // IHDR height 60000
        topics.mask(live("cam-forged", 1), 0, goodFrame, forged);                                    // invalid, before decoding
        topics.mask(live("cam-forged", 2), 0, goodFrame, MaskPng.encode(new ClassMap(8, 8, new byte[64]))); // invalid: wrong size
        var endHeaders = new RecordHeaders();
        HeaderValues.put(endHeaders, HeaderNames.KIND, "end");
        topics.record(null, endHeaders, null);                                                       // invalid: end without stream
        for (String hostile : List.of("..", "../../x", "/etc/cron.d/x", "C:\\x", ".hidden", "a\nb")) {
            topics.frame(hostile, "../../s", 0);                                                     // written, under out/
        }
        for (int seq = 0; seq < 3; seq++) {
            topics.frame("cam", "s1", seq);                                                          // written
        }
        topics.end("cam", "s1", 3);
        feed(app);

        assertTrue(app.healthy(), "still running: " + app.failure());
        assertEquals(1, skipped(Untrusted.echo("nul\u0000id"), "no_such_frame"), "a tracked id is a label with its NUL escaped");
        assertEquals(1, skipped("cam-far", "no_such_frame"));
        assertEquals(1, skipped(SinkApp.UNTRACKED, "bad_name"));
        assertEquals(1, skipped("cam-badjpeg", "invalid"));
        assertEquals(2, skipped("cam-forged", "invalid"), "a forged PNG size and a mask of the wrong size");
        assertEquals(2, skipped(SinkApp.UNTRACKED, "invalid"), "no headers; an end record without a stream");
        assertTrue(events.written.containsAll(List.of("cam#0", "cam#1", "cam#2", "cam-forged#0", "..#0", "../../x#0")), events.written.toString());
        assertTrue(Files.exists(out.resolve("cam/s1/20261130T120000.000Z.mp4")), "the good stream's overlay is final");
        assertNoFileOutside(out, dir);
    }

    @Test
    void aSessionThatNeverEndsIsClosedAsIncompleteAndNoLongerHoldsTheOffsetBack() throws Exception {
        Path out = dir.resolve("out");
        SinkApp app = start(out, new StreamLimits(Duration.ofSeconds(300), 10));
        for (int seq = 0; seq < 3; seq++) {
            topics.frame("lost", "s1", seq);
        }
        feed(app);
        await(() -> Long.valueOf(0).equals(committed()), "the open file pins the commit at its first mask");
        Path session = out.resolve("lost/s1");
        assertEquals(1, partFiles(session));
        assertTrue(series("lost") > 0);

        clock.addAndGet(Duration.ofSeconds(301).toNanos());
        await(() -> Long.valueOf(4).equals(committed()), "once the session is closed, the commit moves past it (and the probe)");
        assertEquals(0, partFiles(session), "its file is finalised");
        assertEquals(3, VideoFileInfo.read(session.resolve("20261130T120000.000Z.mp4")).frames());
        String marker = Files.readString(session.resolve(StreamOutput.INCOMPLETE), StandardCharsets.UTF_8);
        assertTrue(marker.contains("without its end record") && marker.contains("no record for 300 s"), marker);
        assertEquals(0, series("lost"), "its metric series are gone");
        assertEquals(List.of("lost"), events.evicted);

        // The session resumes after all: its frames go on in a new file and a proper end removes the marker.
        topics.frame("lost", "s1", 3);
        topics.end("lost", "s1", 4);
        feed(app);
        await(() -> !Files.exists(session.resolve(StreamOutput.INCOMPLETE)), "the marker goes with a proper end");
        assertEquals(1, VideoFileInfo.read(session.resolve("20261130T120000.300Z.mp4")).frames());
        assertTrue(app.healthy());
    }

    @Test
    void pastTheCapANewStreamIsRefusedUntilOneEnds() throws Exception {
        Path out = dir.resolve("out");
        SinkApp app = start(out, new StreamLimits(Duration.ofSeconds(300), 3));
        for (String stream : List.of("a", "b", "c", "d")) {
            topics.frame(stream, "s1", 0);
        }
        feed(app);
        assertEquals(1, skipped(SinkApp.UNTRACKED, "too_many_streams"), "d is refused: a, b and c have open files");
        assertFalse(Files.exists(out.resolve("d")));
        assertEquals(3, openFiles(out));

        topics.end("a", "s1", 1);
        topics.frame("d", "s1", 1);
        feed(app);
        assertTrue(events.written.contains("d#1"), "a ended, so a made room for d: " + events.written);
        assertEquals(List.of("a"), events.evicted);
        assertEquals(0, series("a"));
        assertEquals(3, openFiles(out));

        // 2,000 ids of one frame each: files, series and entries stay within the cap.
        for (int i = 0; i < 2000; i++) {
            topics.frame("flood-" + i, "s1", 0);
        }
        feed(app);
        assertEquals(2000, skipped(SinkApp.UNTRACKED, "too_many_streams") - 1);
        assertEquals(3, openFiles(out));
        assertTrue(streamSeries() <= 3 * 4, "series: " + streamSeries());
        assertTrue(app.healthy());
    }

    @Test
    void aRestartDoesNotStumbleOnTheSameRecordsAgain() throws Exception {
        Path out = dir.resolve("out");
        var png = MaskPng.encode(new ClassMap(FakeTopics.W, FakeTopics.H, new byte[FakeTopics.W * FakeTopics.H]));
        topics.mask(live("nul\u0000id", 0), 99, 0, png);
        topics.frame("x".repeat(300), "s1", 0);
        topics.frame("cam", "s1", 0);
        topics.frame("cam", "s1", 1);
        for (int run = 1; run <= 2; run++) {
            // Nothing was committed past the open file of "cam" in another consumer: each run reads everything again.
            SinkApp app = start(out, StreamLimits.DEFAULTS);
            feed(app);
            assertTrue(app.healthy(), "run " + run + ": " + app.failure());
            assertEquals(1, skipped(SinkApp.UNTRACKED, "bad_name"), "run " + run);
            assertEquals(1, skipped(Untrusted.echo("nul\u0000id"), "no_such_frame"), "run " + run);
            assertEquals(run == 1 ? 0 : 2, skipped("cam", "duplicate"), "run " + run + ": the frames a finished file holds");
            app.close();
            assertFalse(app.healthy(), "a closed sink is not healthy");
        }
        assertEquals(2, VideoFileInfo.read(out.resolve("cam/s1/20261130T120000.000Z.mp4")).frames());
    }

    @Test
    void aDiskThatCannotBeWrittenStopsTheSinkAndHealthSaysSo() throws Exception {
        Path out = Files.writeString(dir.resolve("not-a-folder"), "a file where the output folder should be");
        SinkApp app = start(out, StreamLimits.DEFAULTS);
        topics.frame("cam", "s1", 0);
        masks.addRecord(topics.masks.get(0));
        await(() -> !app.healthy(), "the sink stops");
        assertNotNull(app.failure());
        assertTrue(app.failure().getMessage().contains("cannot write to the output folder"), app.failure().getMessage());
        assertEquals(null, masks.lastCommitted(), "the record it could not write is not committed: a restart tries it again");
    }

    @Test
    void aShedMarkerIsAccountedForOnceAndIsNeitherASkipNorAGap() throws Exception {
        SinkApp app = start(dir.resolve("out"), StreamLimits.DEFAULTS);
        topics.frame("cam", "s1", 0);
        var shed = new RecordHeaders();
        live("cam", 1).writeTo(shed);
        HeaderValues.put(shed, HeaderNames.KIND, "shed");
        HeaderValues.put(shed, HeaderNames.SHED_REASON, "deadline");
        HeaderValues.put(shed, HeaderNames.FRAME_PARTITION, 0);
        HeaderValues.put(shed, HeaderNames.FRAME_OFFSET, 1);
        topics.record("cam", shed, new byte[0]);
        topics.frame("cam", "s1", 2);
        topics.end("cam", "s1", 3);
        feed(app);
        assertEquals(List.of("cam#0", "cam#2"), events.written.stream().filter(w -> w.startsWith("cam#")).toList());
        assertEquals(List.of("cam:shed"), events.missing, "counted once as shed; seq 2 is no gap");
        assertTrue(app.healthy());
    }

    static FrameIdentity live(String stream, long seq) {
        return new FrameIdentity(stream, "s1", seq, seq * 100_000, 1_796_040_000_000L + seq * 100, FakeTopics.W, FakeTopics.H, 10,
                "png", SourceKind.LIVE, System.currentTimeMillis());
    }

    private Long committed() {
        return masks.lastCommitted();
    }

    private double skipped(String stream, String reason) {
        return value("segstream_frames_skipped", Map.of("stream", stream, "reason", reason));
    }

    private double value(String name, Map<String, String> labels) {
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (!snapshot.getMetadata().getName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                boolean match = labels.entrySet().stream().allMatch(l -> l.getValue().equals(point.getLabels().get(l.getKey())));
                if (match) {
                    return ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
                }
            }
        }
        return 0;
    }

    private double sum(String name) {
        double total = 0;
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (snapshot.getMetadata().getName().equals(name)) {
                for (DataPointSnapshot point : snapshot.getDataPoints()) {
                    total += ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
                }
            }
        }
        return total;
    }

    /** Series labelled with {@code stream}. */
    private long series(String stream) {
        long count = 0;
        for (MetricSnapshot snapshot : registry.scrape()) {
            count += snapshot.getDataPoints().stream().filter(p -> stream.equals(p.getLabels().get("stream"))).count();
        }
        return count;
    }

    /** Series labelled with a stream the sink tracks (not the untracked catch-all). */
    private long streamSeries() {
        long count = 0;
        for (MetricSnapshot snapshot : registry.scrape()) {
            count += snapshot.getDataPoints().stream().filter(p -> p.getLabels().get("stream") != null
                    && !SinkApp.UNTRACKED.equals(p.getLabels().get("stream"))).count();
        }
        return count;
    }

    private static long partFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).count();
        }
    }

    private static long openFiles(Path out) throws Exception {
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).count();
        }
    }

    /** Nothing the sink wrote is outside {@code out}: every file under {@code parent} is in it. */
    static void assertNoFileOutside(Path out, Path parent) throws Exception {
        try (Stream<Path> files = Files.walk(parent)) {
            List<Path> outside = files.filter(Files::isRegularFile).filter(p -> !p.normalize().startsWith(out.normalize())).toList();
            assertEquals(List.of(), outside, "files outside the output folder");
        }
    }

    static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }
}
