package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.segstream.contract.Topics;
import org.segstream.contract.BgrImage;
import org.segstream.contract.JpegCodec;

/** Which decoded frames a session publishes, and the JPEG that always fits the producer's request limit. */
class FrameWindowTest {
    /** The verdicts for frames at 0, 40, 80, ... ms (25 fps) up to {@code seconds}. */
    private static List<FrameWindow.Verdict> judge(FrameWindow window, double seconds) {
        List<FrameWindow.Verdict> verdicts = new ArrayList<>();
        for (long pts = 0; pts < seconds * 1e6; pts += 40_000) {
            verdicts.add(window.judge(pts));
        }
        return verdicts;
    }

    private static long count(List<FrameWindow.Verdict> verdicts, FrameWindow.Verdict which) {
        return verdicts.stream().filter(v -> v == which).count();
    }

    @Test
    void aFileWindowPublishesFromItsStartForItsDurationAtTheSampledRate() {
        var window = new FrameWindow(SourceOptions.of(Map.of("fps", "5", "start", "0.4", "duration", "1.2")), false);
        assertEquals(400_000, window.startMicros(), "the decoder seeks here first");
        List<FrameWindow.Verdict> verdicts = judge(window, 2);
        assertEquals(FrameWindow.Verdict.SKIP, verdicts.get(9), "before the start (360 ms)");
        assertEquals(FrameWindow.Verdict.PUBLISH, verdicts.get(10), "at the start");
        assertEquals(6, count(verdicts, FrameWindow.Verdict.PUBLISH), "1.2 s at 5 fps");
        assertEquals(FrameWindow.Verdict.PAST_END, verdicts.get(40), "1.6 s is the end");
    }

    @Test
    void aLiveSourceHasNoWindowOnlyItsSampling() {
        var window = new FrameWindow(SourceOptions.of(Map.of("fps", "5", "start", "3", "duration", "1")), true);
        assertEquals(0, window.startMicros(), "a live source is not seeked");
        List<FrameWindow.Verdict> verdicts = judge(window, 10);
        assertEquals(0, count(verdicts, FrameWindow.Verdict.PAST_END));
        assertEquals(50, count(verdicts, FrameWindow.Verdict.PUBLISH), "10 s at 5 fps");
    }

    @Test
    void withoutOptionsEveryFrameIsPublished() {
        List<FrameWindow.Verdict> verdicts = judge(new FrameWindow(SourceOptions.DEFAULT, false), 4);
        assertEquals(100, count(verdicts, FrameWindow.Verdict.PUBLISH));
    }

    @Test
    void aFrameTooBigForTheRequestLimitIsEncodedAtALowerQualityUntilItFits() {
        // Noise compresses badly: at quality 95 a 3840x2160 frame is far over the limit.
        var random = new java.util.Random(7);
        byte[] noise = new byte[3840 * 2160 * 3];
        random.nextBytes(noise);
        var image = new BgrImage(3840, 2160, noise);
        assertTrue(JpegCodec.encode(image, 95).length > Topics.MAX_FRAME_BYTES, "the test frame must start over the limit");
        byte[] jpeg = FramePublisher.encodeWithinLimit(image, 95);
        assertTrue(jpeg.length <= Topics.MAX_FRAME_BYTES, jpeg.length + " bytes");
        assertEquals(3840, JpegCodec.decode(jpeg, Long.MAX_VALUE).width());
    }
}
