package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.SourceKind;

/** The live page stays small whatever its visitors and streams do. */
class LiveViewLimitsTest {
    private static final long MS = 1_000_000;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final List<Socket> sockets = new ArrayList<>();
    private LiveView view;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (view != null) {
            view.close();
        }
    }

    private LiveView start(LiveViewConfig config, StreamLimits limits) throws IOException {
        view = LiveView.start(config, limits, clock::get);
        return view;
    }

    private static LiveViewConfig config(int maxViewers, Duration keepAlive, Duration writeTimeout) {
        return LiveViewConfig.on("127.0.0.1", 0).withViewerLimits(maxViewers, keepAlive, writeTimeout);
    }

    private void frame(String stream, long seq, BgrImage overlay) {
        clock.addAndGet(200 * MS);
        var frame = new FrameIdentity(stream, "s1", seq, seq * 200_000, 0, overlay.width(), overlay.height(), 5, "jpeg", SourceKind.LIVE, 1_000);
        view.frameWritten(frame, overlay, new FrameTimeline(1_000, -1, -1, -1, -1, 1_040));
    }

    private static BgrImage small() {
        return new BgrImage(32, 18, new byte[32 * 18 * 3]);
    }

    /** Noise compresses badly: a 640x360 JPEG of about 200 KB, so a viewer that stops reading fills its socket quickly. */
    private static BgrImage noise() {
        byte[] pixels = new byte[640 * 360 * 3];
        new Random(1).nextBytes(pixels);
        return new BgrImage(640, 360, pixels);
    }

    /** Sends a GET on a new connection and returns the status line; the socket stays open. */
    private Socket get(String path, String authorization, StringBuilder statusLine) throws IOException {
        var socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", view.port()), 5000);
        socket.setSoTimeout(5000);
        String auth = authorization == null ? "" : "Authorization: " + authorization + "\r\n";
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + auth + "\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        statusLine.append(readLine(socket.getInputStream()));
        return socket;
    }

    private int status(String path, String authorization) throws IOException {
        var line = new StringBuilder();
        try (Socket s = get(path, authorization, line)) {
            return Integer.parseInt(line.toString().split(" ")[1]);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1 && b != '\n'; ) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void streamsAreForgottenWhenIdleOrEvictedAndCappedInNumber() throws Exception {
        start(config(4, Duration.ofSeconds(2), Duration.ofSeconds(10)), new StreamLimits(Duration.ofSeconds(60), 3));
        frame("a", 0, small());
        frame("b", 0, small());
        frame("c", 0, small());
        frame("d", 0, small());
        assertEquals(3, view.streamCount(), "the least recently updated stream (a) made room for d");
        assertEquals(404, status("/frame/a.jpg", null));
        assertEquals(200, status("/frame/d.jpg", null));
        view.streamEvicted("d");
        assertEquals(404, status("/frame/d.jpg", null), "the sink stopped tracking d");
        clock.addAndGet(Duration.ofSeconds(61).toNanos());
        frame("e", 0, small());
        assertEquals(200, status("/api/streams", null));
        assertEquals(1, view.streamCount(), "b and c were idle for 61 s");
        int malformed = status("/frame/50%.jpg", null);
        assertTrue(malformed == 400 || malformed == 404, "a name that is not valid percent-encoding is refused: " + malformed);
        frame("50% off", 0, small());
        assertEquals(200, status("/frame/50%25%20off.jpg", null), "a name with % and a space, as the page encodes it");
    }

    @Test
    void beyondItsViewerLimitAViewerIsToldToComeBackLater() throws Exception {
        start(config(2, Duration.ofSeconds(2), Duration.ofSeconds(10)), StreamLimits.DEFAULTS);
        frame("cam", 0, small());
        for (int i = 0; i < 2; i++) {
            var line = new StringBuilder();
            get("/live/cam.mjpg", null, line);
            assertTrue(line.toString().contains(" 200 "), line.toString());
        }
        assertEquals(503, status("/live/cam.mjpg", null));
        assertEquals(200, status("/api/streams", null), "the page still answers while every viewer slot is taken");
    }

    @Test
    void aViewerThatLeftIsNoticedWithinSecondsEvenWithoutNewFrames() throws Exception {
        start(config(2, Duration.ofMillis(300), Duration.ofSeconds(10)), StreamLimits.DEFAULTS);
        frame("cam", 0, small());
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2; i++) {
                var line = new StringBuilder();
                Socket s = get("/live/cam.mjpg", null, line);
                assertTrue(line.toString().contains(" 200 "), "round " + round + ": " + line);
                s.close(); // the viewer leaves; the stream gets no new frame
            }
            await(() -> viewerThreadsBusy() == 0, "both viewers are noticed gone by the keep-alive picture");
        }
    }

    @Test
    void aViewerThatStopsReadingIsCutOffAfterTheWriteTimeout() throws Exception {
        start(config(1, Duration.ofMillis(20), Duration.ofMillis(500)), StreamLimits.DEFAULTS);
        frame("cam", 0, noise());
        var stalled = new Socket();
        sockets.add(stalled);
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress("127.0.0.1", view.port()));
        stalled.getOutputStream().write("GET /live/cam.mjpg HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        stalled.getOutputStream().flush();
        // It never reads: the server's socket buffer fills with keep-alive pictures, a write blocks, the watchdog cuts it off.
        long start = System.nanoTime();
        await(() -> {
            try {
                return status("/live/cam.mjpg", null) != 503;
            } catch (IOException e) {
                return false;
            }
        }, "the stalled viewer's slot is freed");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos());
    }

    @Test
    void withAPasswordEveryPathAsksForBasicAuthentication() throws Exception {
        start(config(2, Duration.ofSeconds(2), Duration.ofSeconds(10)).withLogin("ops", "s3cret"), StreamLimits.DEFAULTS);
        frame("cam", 0, small());
        String good = "Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8));
        String bad = "Basic " + Base64.getEncoder().encodeToString("ops:guess".getBytes(StandardCharsets.UTF_8));
        for (String path : List.of("/", "/api/streams", "/frame/cam.jpg", "/live/cam.mjpg")) {
            var line = new StringBuilder();
            try (Socket s = get(path, null, line)) {
                assertTrue(line.toString().contains(" 401 "), path + ": " + line);
                String headers = readHeaders(s.getInputStream());
                assertTrue(headers.toLowerCase().contains("www-authenticate: basic realm=\"segstream live\""), headers);
            }
            assertEquals(401, status(path, bad), path);
            assertEquals(200, status(path, good), path);
        }
    }

    @Test
    void hundredsOfViewersThatComeAndGoLeaveNoThreadsBehind() throws Exception {
        start(config(8, Duration.ofMillis(500), Duration.ofSeconds(2)), StreamLimits.DEFAULTS);
        frame("cam", 0, small());
        long baseline = liveThreads();
        for (int i = 0; i < 200; i++) {
            var line = new StringBuilder();
            get("/live/cam.mjpg", null, line).close();
        }
        long peak = liveThreads();
        assertTrue(peak <= baseline + 8 + 4 + 1, "a fixed pool: " + peak + " threads");
        await(() -> liveThreads() <= baseline + 1, "idle pool threads end within seconds");
    }

    private static long liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("segstream-live-view")).count();
    }

    /** Pool threads serving an MJPEG viewer (their stack shows MjpegViewers). */
    private static long viewerThreadsBusy() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals("segstream-live-view"))
                .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(MjpegViewers.class.getName())))
                .count();
    }

    private static String readHeaders(InputStream in) throws IOException {
        var headers = new StringBuilder();
        for (String line; !(line = readLine(in)).isEmpty(); ) {
            headers.append(line).append('\n');
        }
        return headers.toString();
    }

    static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }
}
