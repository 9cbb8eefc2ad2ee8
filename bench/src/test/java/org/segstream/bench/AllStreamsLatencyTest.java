package org.segstream.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        assertEquals(620, split.slowestEndToEndMean(), 1e-9);
        assertArrayEquals(new double[] {5, 10, 380, 210, 15}, split.slowestMean(), 1e-9);
    }

    @Test
    void liveFramesPastEachCamerasOwnStartUpAreKeptApart() {
        var latency = new AllStreamsLatency(1_000);
        for (String camera : new String[] {"cam1", "cam2"}) {
            long opened = camera.equals("cam1") ? 0 : 4_000;     // the second camera opens 4 s after the first
            for (int i = 0; i < 50; i++) {                      // 5 fps for 10 s
                var frame = new FrameIdentity(camera, "s", i, 0, 0, 64, 48, 5, "jpeg", SourceKind.LIVE, 1_000);
                long origin = 1_000 + opened + i * 200L;
                long total = i < 10 ? 900 : 150;                // its opening burst, then steady
                latency.frameWritten(frame, null, new FrameTimeline(origin, origin + 5, origin + 10, origin + total - 30,
                        origin + total - 10, origin + total));
            }
        }
        var past = latency.livePastStartUp();
        assertEquals(50, past.frames(), "25 frames of each camera from 5 s after its own first");
        assertEquals(150, past.percentile(100), "no frame of either camera's opening");
        assertEquals(900, latency.steady(SourceKind.LIVE).percentile(100), "the row's own warm-up is over before the second camera opens");
    }

    @Test
    void theStartUpIsSetApartFromTheSteadyState() {
        var latency = new AllStreamsLatency(1_000);
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
        assertThrows(IllegalArgumentException.class, () -> latency.sinceStart(2_000, true), "the split is made as frames arrive");
    }

    @Test
    void liveAndFileFramesAreKeptApart() {
        var latency = new AllStreamsLatency(0);
        var file = new FrameIdentity("file", "s", 0, 0, 0, 64, 48, 25, "jpeg", SourceKind.FILE, 1_000);
        var live = new FrameIdentity("cam", "s", 0, 0, 0, 64, 48, 25, "jpeg", SourceKind.LIVE, 1_000);
        for (int i = 0; i < 10; i++) {
            latency.frameWritten(file, null, new FrameTimeline(1_000, 1_005, 1_010, 4_000, 4_010, 5_000)); // a backlog: 4 s
            latency.frameWritten(live, null, new FrameTimeline(1_000, 1_005, 1_010, 1_090, 1_100, 1_150)); // 150 ms
        }
        assertEquals(150, latency.steady(SourceKind.LIVE).percentile(99));
        assertEquals(10, latency.steady(SourceKind.LIVE).frames());
        assertEquals(4_000, latency.steady(SourceKind.FILE).percentile(50), 4, "above 2048 ms, within 1/1024");
        assertEquals(20, latency.frames());
    }

    @Test
    void throughputIsCountedFromTheFirstFrameWrittenToTheLast() {
        var latency = new AllStreamsLatency();
        var frame = new FrameIdentity("cam", "s", 0, 0, 0, 64, 48, 25, "jpeg", SourceKind.LIVE, 1_000);
        for (int i = 0; i < 41; i++) {
            long origin = 10_000 + i * 250L; // written every 250 ms, 300 ms after being read
            latency.frameWritten(frame, null, new FrameTimeline(origin, origin + 5, origin + 10, origin + 200, origin + 250, origin + 300));
        }
        assertEquals(4.0, latency.writtenFps(), 1e-9);
    }

    @Test
    void memoryDoesNotGrowWithTheNumberOfFrames() {
        var latency = new LatencyDistribution();
        long[] stages = new long[FrameTimeline.STAGES.size()];
        for (int total = 40; total <= 2040; total++) { // every value of the range once, end to end and stage by stage
            java.util.Arrays.fill(stages, total / stages.length);
            stages[0] += total % stages.length;
            latency.add(total, stages);
        }
        long wholeRange = latency.footprintBytes();
        var random = new java.util.Random(7);
        for (int i = 0; i < 400_000; i++) {
            addRandom(latency, random, stages);
        }
        assertEquals(402_001, latency.frames());
        assertEquals(wholeRange, latency.footprintBytes(), "the same range of values, a thousand times the frames");
    }

    /** A frame of 40..2040 ms end to end, split over the stages. */
    private static void addRandom(LatencyDistribution latency, java.util.Random random, long[] stages) {
        long total = 0;
        for (int s = 0; s < stages.length; s++) {
            stages[s] = 8 + random.nextInt(400);
            total += stages[s];
        }
        latency.add(total, stages);
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
