package org.segstream.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.SourceKind;
import org.segstream.sink.FrameTimeline;

class AllStreamsLatencyTest {

    private static void write(AllStreamsLatency latency, long seq, long ingest, long frames, long segmenter, long commit, long sink) {
        var frame = new FrameIdentity("cam", "s", seq, 0, 0, 64, 48, 25, "png", SourceKind.FILE, 1_000);
        long t = 1_000;
        var timeline = new FrameTimeline(t, t += ingest, t += frames, t += segmenter, t += commit, t + sink);
        latency.frameWritten(frame, null, timeline);
    }

    @Test
    void splitsTheLatencyByStageAndShowsWhereTheSlowestFramesSpentIt() {
        var latency = new AllStreamsLatency();
        for (int i = 0; i < 198; i++) {
            write(latency, i, 5, 10, 80, 20, 15); // 130 ms
        }
        write(latency, 198, 5, 10, 80, 400, 15);  // 510 ms: a slow commit
        write(latency, 199, 5, 10, 680, 20, 15);  // 730 ms: a slow batch

        assertEquals(130, latency.percentile(50));
        assertEquals(130, latency.percentile(99), "nearest rank: the two slow frames are the 0.5 % above p99");
        assertEquals(730, latency.percentile(100));
        var split = latency.split();
        assertArrayEquals(new long[] {5, 10, 80, 20, 15}, split.p50());
        assertArrayEquals(new long[] {5, 10, 80, 20, 15}, split.p99(), "each stage alone is slow only once in 200");
        assertEquals(2, split.slowestFrames(), "1 % of 200");
        assertArrayEquals(new long[] {730, 510}, split.slowestEndToEnd());
        assertArrayEquals(new double[] {5, 10, 380, 210, 15}, split.slowestMean(), 1e-9);
    }

    @Test
    void theStartUpIsSetApartFromTheSteadyState() {
        var latency = new AllStreamsLatency();
        var frame = new FrameIdentity("cam", "s", 0, 0, 0, 64, 48, 25, "png", SourceKind.FILE, 1_000);
        for (int i = 0; i < 30; i++) {
            long origin = 1_000 + i * 200L;                     // 5 fps
            long total = i < 5 ? 900 - i * 100 : 120;            // a cold start, then steady
            latency.frameWritten(frame, null, new FrameTimeline(origin, origin + 5, origin + 10, origin + total - 30,
                    origin + total - 10, origin + total));
        }
        var steady = latency.sinceStart(1_000, true);
        var startup = latency.sinceStart(1_000, false);
        assertEquals(25, steady.frames());
        assertEquals(120, steady.percentile(99));
        assertEquals(5, startup.frames(), "read in the first second");
        assertEquals(900, startup.percentile(100));
        assertEquals(30, latency.sinceStart(0, true).frames(), "no warm-up: every frame");
    }

    @Test
    void framesWithoutTheSegmentersTimesLeaveThoseStagesUnknown() {
        var latency = new AllStreamsLatency();
        var frame = new FrameIdentity("cam", "s", 0, 0, 0, 64, 48, 25, "png", SourceKind.FILE, 1_000);
        latency.frameWritten(frame, null, new FrameTimeline(1_000, 1_004, -1, -1, 1_100, 1_110));

        var split = latency.split();
        assertArrayEquals(new long[] {4, -1, -1, -1, 10}, split.p50());
        assertArrayEquals(new double[] {4, -1, -1, -1, 10}, split.slowestMean(), 1e-9);
    }
}
