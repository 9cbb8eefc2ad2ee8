package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.SourceKind;

/** {@code /api/streams} of a live view on a fake clock, fed as the sink would feed it. */
class LiveViewTest {
    private static final long MS = 1_000_000;

    private final AtomicLong clock = new AtomicLong(123_456 * MS);
    private LiveView view;

    @BeforeEach
    void start() throws Exception {
        view = LiveView.start("127.0.0.1", 0, clock::get);
    }

    @AfterEach
    void stop() {
        view.close();
    }

    /** {@code count} frames of "cam" at 5 fps, declaring 5 fps, each written 40 ms after ingest. */
    private void film(long firstSeq, int count) {
        for (long seq = firstSeq; seq < firstSeq + count; seq++) {
            clock.addAndGet(200 * MS);
            var frame = new FrameIdentity("cam", "s1", seq, seq * 200_000, 0, 32, 18, 5, "jpeg", SourceKind.LIVE, 1_000);
            view.frameWritten(frame, new BgrImage(32, 18, new byte[32 * 18 * 3]), new FrameTimeline(1_000, -1, -1, -1, -1, 1_040));
        }
    }

    private JsonNode cam() throws Exception {
        var response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + view.port() + "/api/streams")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode streams = new ObjectMapper().readTree(response.body());
        assertEquals(1, streams.size(), response.body());
        return streams.get(0);
    }

    @Test
    void aLiveStreamShowsItsSlidingWindowRate() throws Exception {
        film(0, 40);
        JsonNode cam = cam();
        assertEquals("cam", cam.get("stream").asText());
        assertEquals(39, cam.get("seq").asLong());
        assertEquals(5.0, cam.get("fps").asDouble(), 0.1);
        assertTrue(cam.get("online").asBoolean());
        assertEquals(0, cam.get("last_frame_age_ms").asLong());
        assertEquals(40, cam.get("latency_ms").asLong());
        assertEquals(0, cam.get("dropped").asLong());
        assertEquals(0.0, cam.get("drop_rate").asDouble());
    }

    @Test
    void dropsShowAsACountAndARate() throws Exception {
        film(0, 40);
        view.framesMissing("cam", 10, "gap");
        film(50, 5);
        JsonNode cam = cam();
        assertEquals(10, cam.get("dropped").asLong());
        assertEquals(2.0, cam.get("drop_rate").asDouble(), 0.01, "10 over the 5 s window");
        clock.addAndGet(5100 * MS);
        assertEquals(0.0, cam().get("drop_rate").asDouble(), "the drops left the window");
        assertEquals(10, cam().get("dropped").asLong(), "the count stays");
    }

    @Test
    void aStreamSilentForMoreThanFiveSecondsIsOfflineWithZeroFps() throws Exception {
        film(0, 40);
        clock.addAndGet(4900 * MS);
        assertTrue(cam().get("online").asBoolean());
        clock.addAndGet(7100 * MS);
        JsonNode cam = cam();
        assertFalse(cam.get("online").asBoolean());
        assertEquals(0.0, cam.get("fps").asDouble());
        assertEquals(12_000, cam.get("last_frame_age_ms").asLong());

        film(40, 2);
        assertTrue(cam().get("online").asBoolean(), "back with its next frame");
    }

    @Test
    void dropsOfAStreamNotYetShownAreIgnored() throws Exception {
        view.framesMissing("other", 3, "frame_gone");
        film(0, 1);
        assertEquals(0, cam().get("dropped").asLong());
    }
}
