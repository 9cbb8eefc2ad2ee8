package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.scenes.TestClips;

/** A network source may only use network protocols: an HLS playlist cannot make ingest read local files. */
class ProtocolWhitelistTest {
    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.getResponseHeaders().add("Content-Type", exchange.getRequestURI().getPath().endsWith(".m3u8")
                        ? "application/vnd.apple.mpegurl" : "video/mp2t");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static String playlist(String segment) {
        return "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\n" + segment + "\n#EXT-X-ENDLIST\n";
    }

    private static Path segment(Path dir) throws Exception {
        Path clip = TestClips.write(dir.resolve("clip.mkv"), 64, 48, 10, 25);
        Path ts = dir.resolve("seg.ts");
        Ffmpeg.run("-i", clip.toString(), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mpegts", ts.toString());
        return ts;
    }

    /** Frames read from a source, or the exception it failed with. */
    private static int readAll(SourceSpec source) throws SourceException {
        try (var decoder = VideoDecoder.open(source, 1_000_000, 3_000_000)) {
            int n = 0;
            while (decoder.next() != null) {
                n++;
            }
            return n;
        }
    }

    @Test
    void hlsOverHttpWithHttpSegmentsIsRead(@TempDir Path dir) throws Exception {
        files.put("/seg.ts", Files.readAllBytes(segment(dir)));
        files.put("/ok.m3u8", playlist(url("/seg.ts")).getBytes(StandardCharsets.UTF_8));
        assertEquals(10, readAll(SourceSpec.parse("ok=" + url("/ok.m3u8"))), "a legitimate playlist still works");
    }

    @Test
    void hlsPlaylistPointingAtALocalSegmentIsRefused(@TempDir Path dir) throws Exception {
        Path local = segment(dir);
        files.put("/evil.m3u8", playlist("file://" + local.toAbsolutePath()).getBytes(StandardCharsets.UTF_8));
        var source = SourceSpec.parse("evil=" + url("/evil.m3u8"));
        int frames;
        try {
            frames = readAll(source);
        } catch (SourceException e) {
            assertTrue(e.getMessage().startsWith("source 'evil' ("), e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'));
            frames = 0;
        }
        assertEquals(0, frames, "not a single frame read from the local file");
    }

    @Test
    void hlsPlaylistPointingAtEtcPasswdIsRefused() throws Exception {
        files.put("/passwd.m3u8", playlist("file:///etc/passwd").getBytes(StandardCharsets.UTF_8));
        var error = assertThrows(SourceException.class, () -> readAll(SourceSpec.parse("passwd=" + url("/passwd.m3u8"))));
        assertTrue(error.getMessage().startsWith("source 'passwd' ("), error.getMessage());
    }

    @Test
    void localPlaylistCannotMakeIngestFetchFromTheNetwork(@TempDir Path dir) throws Exception {
        files.put("/seg.ts", Files.readAllBytes(segment(dir)));
        Path local = Files.writeString(dir.resolve("list.m3u8"), playlist(url("/seg.ts")));
        int frames;
        try {
            frames = readAll(SourceSpec.parse("local=" + local));
        } catch (SourceException e) {
            assertTrue(e.getMessage().startsWith("source 'local' ("), e.getMessage());
            frames = 0;
        }
        assertEquals(0, frames, "a file source reads files only");
    }

    @Test
    void networkSourcesStillReachTheirPeers() {
        // Nothing listens on port 9: each must fail by connecting (refused), not by its own protocol being refused.
        for (String url : List.of("rtsp://127.0.0.1:9/live", "rtmp://127.0.0.1:9/live/cam", "http://127.0.0.1:9/live.ts", "tcp://127.0.0.1:9")) {
            var error = assertThrows(SourceException.class, () -> VideoDecoder.open(SourceSpec.parse("cam=" + url), 1_000_000, 3_000_000));
            assertTrue(error.getMessage().contains("Connection refused"), error.getMessage());
        }
    }

    @Test
    void whitelistFollowsTheKindOfSource() {
        assertEquals("file", DecoderOptions.protocolWhitelist(SourceSpec.parse("/videos/a.mp4")));
        assertEquals("file", DecoderOptions.protocolWhitelist(SourceSpec.parse("file:///videos/a.mp4")));
        assertEquals("http,https,tls,tcp,crypto", DecoderOptions.protocolWhitelist(SourceSpec.parse("https://x/live.m3u8")));
        assertTrue(DecoderOptions.protocolWhitelist(SourceSpec.parse("rtsp://cam/1")).contains("rtp"));
        assertTrue(!DecoderOptions.protocolWhitelist(SourceSpec.parse("rtsp://cam/1")).contains("file"));
    }
}
