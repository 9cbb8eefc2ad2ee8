package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Ingest from a real RTSP server on loopback (RTP from a real ffmpeg), over TCP and UDP, and across a server restart. */
class RtspIngestIT {
    @RegisterExtension
    static final KafkaBrokerExtension broker = new KafkaBrokerExtension();

    private static final Reconnect FAST = new Reconnect(Duration.ofMillis(200), Duration.ofSeconds(2), 0.2, Duration.ofSeconds(3), true);

    /** Frames numbered 0..n-1 without gaps, closed by an end record counting n; returns n. */
    private static long assertClosedSession(List<FramesTopic.Item> session) {
        long seq = 0;
        for (var item : session.subList(0, session.size() - 1)) {
            assertEquals(seq++, item.frame().seq(), "frames of a session are numbered from 0 without gaps");
        }
        var last = session.get(session.size() - 1);
        assertTrue(last.end() != null, "the session ends with its end record");
        assertEquals(seq, last.end().frameCount());
        return seq;
    }

    /** Reads {@code frames} frames of the camera over {@code transport}, stops ingest, and checks the one session. */
    private void readsFramesOver(String transport, Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("cam.mkv"), 96, 64, 50, 25);
        try (var server = RtspTestServer.start(clip, 0, dir);
             var topic = new FramesTopic(broker.bootstrapServers(), "rtsp-" + transport);
             var producer = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), topic.topics))) {
            var source = SourceSpec.parse("gate=" + server.url()).withOptions(SourceOptions.of(Map.of("rtsp-transport", transport)));
            assertEquals(SourceKind.LIVE, source.kind());
            var job = new IngestJob(source, IngestConfig.of(broker.bootstrapServers(), topic.topics), producer, new IngestMetrics(), FAST);
            var result = CompletableFuture.supplyAsync(job::run);
            var items = topic.readUntil(i -> FramesTopic.frames(i) >= 20, Duration.ofSeconds(30));
            job.stop();
            IngestResult outcome = result.get(20, TimeUnit.SECONDS);
            items = topic.readUntil(FramesTopic::hasEnd, Duration.ofSeconds(10));

            assertEquals(List.of(transport), server.transports, "one SETUP, over " + transport);
            var sessions = new ArrayList<>(FramesTopic.bySession(items).values());
            assertEquals(1, sessions.size());
            long frames = assertClosedSession(sessions.get(0));
            assertTrue(frames >= 20, "frames from the camera: " + frames);
            var first = sessions.get(0).get(0).frame();
            assertEquals("96x64", first.width() + "x" + first.height());
            assertEquals(SourceKind.LIVE, first.sourceKind());
            assertEquals(first.ingestTimeMs(), first.captureTimeMs(), "a camera's capture time is the wall clock at ingest");
            assertNull(outcome.error());
            assertEquals(frames, outcome.framesSent());
        }
    }

    @Test
    void rtspOverTcp(@TempDir Path dir) throws Exception {
        readsFramesOver("tcp", dir);
    }

    @Test
    void rtspOverUdp(@TempDir Path dir) throws Exception {
        readsFramesOver("udp", dir);
    }

    @Test
    void rtspServerRestartIsANewSession(@TempDir Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("cam.mkv"), 96, 64, 50, 25);
        var server = RtspTestServer.start(clip, 0, dir);
        int port = server.port();
        try (var topic = new FramesTopic(broker.bootstrapServers(), "rtsp-restart");
             var producer = new FrameProducer(IngestConfig.of(broker.bootstrapServers(), topic.topics))) {
            var job = new IngestJob(SourceSpec.parse("gate=" + server.url()), IngestConfig.of(broker.bootstrapServers(), topic.topics),
                    producer, new IngestMetrics(), FAST);
            var result = CompletableFuture.supplyAsync(job::run);
            var items = topic.readUntil(i -> FramesTopic.frames(i) >= 15, Duration.ofSeconds(30));
            assertTrue(FramesTopic.frames(items) >= 15, "frames before the outage");

            var firstServerSessions = List.copyOf(server.sessions);
            server.close(); // the camera is gone for 5 s...
            long down = System.nanoTime();
            items = topic.readUntil(FramesTopic::hasEnd, Duration.ofSeconds(10));
            // not a wait for a condition: the outage lasts 5 s, whatever ingest does meanwhile
            Thread.sleep(Math.max(0, 5000 - (System.nanoTime() - down) / 1_000_000));
            server = RtspTestServer.start(clip, port, dir); // ...and back on the same address
            long up = System.nanoTime();
            items = topic.readUntil(i -> FramesTopic.bySession(i).size() >= 2
                    && FramesTopic.bySession(i).values().stream().skip(1).findFirst().orElseThrow().size() >= 10, Duration.ofSeconds(30));
            long resumedAfterMs = (System.nanoTime() - up) / 1_000_000;
            job.stop();
            IngestResult outcome = result.get(20, TimeUnit.SECONDS);
            items = topic.readUntil(i -> i.get(i.size() - 1).end() != null, Duration.ofSeconds(10));

            var sessions = new ArrayList<>(FramesTopic.bySession(items).entrySet());
            assertEquals(2, sessions.size(), "one session before the outage, one after");
            assertTrue(assertClosedSession(sessions.get(0).getValue()) >= 15);
            assertTrue(assertClosedSession(sessions.get(1).getValue()) >= 10, "frames resumed from seq 0");
            assertNotEquals(sessions.get(0).getKey(), sessions.get(1).getKey(), "a new ingest session id");
            assertEquals(1, server.sessions.size(), "reconnected with a new RTSP SETUP");
            assertTrue(!firstServerSessions.contains(server.sessions.get(0)), "a new RTSP session");
            assertEquals(sessions.get(1).getKey(), outcome.session());
            assertNull(outcome.error());
            System.out.printf("rtsp restart: frames resumed %d ms after the server came back%n", resumedAfterMs);
        } finally {
            server.close();
        }
    }
}
