package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.JpegStructure;
import org.segstream.contract.SourceKind;

/**
 * The scheduler on a simulated clock, with a model of known speed that advances the clock instead of
 * computing: records reach it one at a time as Kafka Streams hands them over (a live frame when it is
 * due, else the next frame of a file backlog), and the wall-clock tick runs every 5 ms while idle.
 */
class FrameBatcherTest {
    private static final int W = 32;
    private static final int H = 18;
    private static final byte[] JPEG = JpegCodec.encode(new BgrImage(W, H, new byte[W * H * 3]), 80);
    private static final JpegStructure STRUCTURE = JpegStructure.check(JPEG);

    /** Milliseconds of simulated time; the model moves it on by its cost per frame for every frame of a batch. */
    private long clockMs;
    private final Object owner = new Object();

    /** A model of known speed that moves the simulated clock on instead of computing. */
    private FakeModel model(double msPerFrame) {
        return new FakeModel(msPerFrame, ms -> clockMs += ms);
    }

    /** A source of frames: a live camera sending in real time, or a file whose frames are all there at once. */
    private record Source(String stream, SourceKind kind, double fps, int frames) {
        long sentAt(int seq) {
            return kind == SourceKind.FILE ? 0 : Math.round(seq * 1000 / fps);
        }
    }

    /** What became of every frame: masked (with its latency) or shed (with the reason and its age then). */
    private static final class Outcome {
        final Map<String, List<Long>> latencies = new HashMap<>();
        final Map<String, Integer> shed = new HashMap<>();
        final List<Long> shedAges = new ArrayList<>();
        final Map<String, List<Long>> maskedSeqs = new HashMap<>();

        int masked(String stream) {
            return latencies.getOrDefault(stream, List.of()).size();
        }

        long p95(String stream) {
            List<Long> sorted = new ArrayList<>(latencies.get(stream));
            sorted.sort(Comparator.naturalOrder());
            return sorted.get((int) Math.floor(0.95 * (sorted.size() - 1)));
        }
    }

    private Outcome simulate(FakeModel model, int batchSize, long maxAgeMs, Source... sources) {
        clockMs = 0;
        var batcher = new FrameBatcher(model, batchSize, 50, maxAgeMs, true, InputSizing.NATIVE,
                InputLimits.defaults().withMaxBatchPixels((long) W * H * 16), new SegmenterStats(), () -> clockMs * 1_000_000);
        var outcome = new Outcome();
        List<PendingFrame> open = new ArrayList<>();
        int[] next = new int[sources.length];
        long offset = 0;
        while (true) {
            // The next record: the live frame sent longest ago that is due, else the next file frame.
            int pick = -1;
            long earliest = Long.MAX_VALUE;
            for (int i = 0; i < sources.length; i++) {
                if (next[i] < sources[i].frames() && sources[i].kind() == SourceKind.LIVE && sources[i].sentAt(next[i]) < earliest) {
                    earliest = sources[i].sentAt(next[i]);
                    pick = i;
                }
            }
            if (pick < 0 || earliest > clockMs) {
                for (int i = 0; i < sources.length; i++) {
                    if (next[i] < sources[i].frames() && sources[i].kind() == SourceKind.FILE) {
                        pick = i;
                        earliest = clockMs;
                        break;
                    }
                }
            }
            if (pick < 0) {
                break;
            }
            while (clockMs < earliest) { // idle until then: the tick runs
                clockMs = Math.min(earliest, clockMs + 5);
                batcher.runDue(clockMs);
                settle(open, outcome);
            }
            Source source = sources[pick];
            long sent = source.kind() == SourceKind.FILE ? clockMs : source.sentAt(next[pick]);
            PendingFrame frame = frame(source, next[pick]++, sent, offset++);
            open.add(frame);
            batcher.add(frame, clockMs);
            batcher.runReady(clockMs);
            settle(open, outcome);
        }
        for (int i = 0; i < 100_000 && !open.isEmpty(); i++) {
            clockMs += 5;
            batcher.runDue(clockMs);
            settle(open, outcome);
        }
        assertTrue(open.isEmpty(), open.size() + " frames were never done");
        return outcome;
    }

    private void settle(List<PendingFrame> open, Outcome outcome) {
        open.removeIf(frame -> {
            String stream = frame.identity.stream();
            if (frame.result != null) {
                outcome.latencies.computeIfAbsent(stream, s -> new ArrayList<>()).add(clockMs - frame.identity.latencyOriginMs());
                outcome.maskedSeqs.computeIfAbsent(stream, s -> new ArrayList<>()).add(frame.identity.seq());
                return true;
            }
            if (frame.dropped != null) {
                outcome.shed.merge(stream, 1, Integer::sum);
                outcome.shedAges.add(clockMs - frame.identity.latencyOriginMs());
                return true;
            }
            return false;
        });
    }

    private PendingFrame frame(Source source, int seq, long sentMs, long offset) {
        var headers = new RecordHeaders();
        var identity = new FrameIdentity(source.stream(), "s1", seq, seq * 40_000L, sentMs, W, H, source.fps(), "jpeg", source.kind());
        identity.writeTo(headers);
        var record = new StoredRecord(0, offset, sentMs, source.stream(), headers, JPEG);
        return PendingFrame.frame(record, owner, identity, STRUCTURE);
    }

    @Test
    void aFileBacklogNeverMakesALiveFrameLateWhileThereIsCapacityForIt() {
        // 10 ms a frame: 100 fps, four times the camera's 25.
        var model = model(10);
        Outcome outcome = simulate(model, 4, 1000,
                new Source("file", SourceKind.FILE, 25, 400), new Source("cam", SourceKind.LIVE, 25, 100));
        assertEquals(100, outcome.masked("cam"), "no live frame shed: " + outcome.shed);
        assertEquals(400, outcome.masked("file"), "every file frame segmented");
        assertTrue(outcome.p95("cam") <= 100, "live frames go first: p95 " + outcome.p95("cam") + " ms");
        List<Long> fileSeqs = outcome.maskedSeqs.get("file");
        assertEquals(fileSeqs.stream().sorted().toList(), fileSeqs, "file frames in their order");
    }

    @Test
    void withLiveFirstOffAFileBacklogGoesFirst() {
        var model = model(10);
        clockMs = 0;
        var batcher = new FrameBatcher(model, 4, 50, 1000, false, InputSizing.NATIVE, InputLimits.defaults(),
                new SegmenterStats(), () -> clockMs * 1_000_000);
        List<PendingFrame> file = new ArrayList<>();
        for (int seq = 0; seq < 3; seq++) {
            file.add(frame(new Source("file", SourceKind.FILE, 25, 3), seq, 0, seq));
            batcher.add(file.get(seq), 0);
        }
        PendingFrame live = frame(new Source("cam", SourceKind.LIVE, 25, 1), 0, 0, 3);
        batcher.add(live, 0);
        batcher.runReady(0);
        assertEquals(List.of(4), model.batches(), "one batch, in arrival order");
        assertTrue(live.result != null && file.get(0).result != null);
    }

    @Test
    void anOverloadedCameraIsShedEarlyOldestFirstAndWhatIsSegmentedStaysFresh() {
        // 60 ms a frame: about 16 fps for a 25 fps camera.
        Outcome slow = simulate(model(60), 4, 1000, new Source("cam", SourceKind.LIVE, 25, 250));
        assertTrue(slow.shed.getOrDefault("cam", 0) > 50, "frames are shed: " + slow.shed);
        assertEquals(250, slow.masked("cam") + slow.shed.get("cam"), "every frame masked or shed");
        long p95 = slow.p95("cam");
        // Without overload (10 fps on the same model) for comparison.
        Outcome fits = simulate(model(60), 4, 1000, new Source("cam", SourceKind.LIVE, 10, 100));
        assertEquals(100, fits.masked("cam"));
        assertTrue(p95 < 500, "segmented frames stay fresh under overload: p95 " + p95 + " ms (without overload "
                + fits.p95("cam") + " ms), far from the 1000 ms deadline");
        long oldestShed = slow.shedAges.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(oldestShed < 500, "shed at once, not after waiting out the deadline: oldest shed at " + oldestShed + " ms");
        List<Long> seqs = slow.maskedSeqs.get("cam");
        assertEquals(seqs.stream().sorted().toList(), seqs, "what is kept goes in order");
    }

    @Test
    void aFrameThatCannotMakeItsDeadlineIsShedBeforeItsBatchRuns() {
        var model = model(100);
        clockMs = 0;
        var batcher = new FrameBatcher(model, 1, 0, 300, true, InputSizing.NATIVE, InputLimits.defaults(),
                new SegmenterStats(), () -> clockMs * 1_000_000);
        var cam = new Source("cam", SourceKind.LIVE, 25, 10);
        PendingFrame first = frame(cam, 0, 0, 0);
        batcher.add(first, 0);
        batcher.runDue(0); // times a batch: 100 ms
        assertTrue(first.result != null);
        // Captured 250 ms ago: 100 ms more would take it past its 300 ms.
        clockMs = 400;
        PendingFrame late = frame(cam, 1, 150, 1);
        batcher.add(late, 400);
        assertEquals("deadline", late.dropped, "shed when admitted, before any batch");
        PendingFrame fresh = frame(cam, 2, 390, 2);
        batcher.add(fresh, 400);
        batcher.runDue(400);
        assertTrue(fresh.result != null);
    }

    @Test
    void liveCamerasOfEqualRateGetEqualSharesAndAFastOneCannotStarveThem() {
        // 20 ms a frame: 50 fps for 25 + 25 + 25 + 100 fps of cameras.
        Outcome outcome = simulate(model(20), 4, 1000,
                new Source("a", SourceKind.LIVE, 25, 250), new Source("b", SourceKind.LIVE, 25, 250),
                new Source("c", SourceKind.LIVE, 25, 250), new Source("fast", SourceKind.LIVE, 100, 1000));
        int a = outcome.masked("a");
        int b = outcome.masked("b");
        int c = outcome.masked("c");
        int fast = outcome.masked("fast");
        int min = Math.min(a, Math.min(b, c));
        int max = Math.max(a, Math.max(b, c));
        assertTrue(max <= 1.1 * min, "equal cameras within 10%: " + a + ", " + b + ", " + c);
        assertTrue(min >= 0.9 * fast, "the fast camera takes no more than its share: " + fast + " against " + min);
        assertTrue(a + b + c + fast >= 0.9 * 10_000 * 50 / 1000, "the capacity is used: " + (a + b + c + fast) + " frames in 10 s");
    }

    @Test
    void whereBatchingDoesNotPayOffBatchesHoldOneFrameWhileACameraRunsAndFullOnesWithout() {
        // The CPU's case: 10 ms a frame however they are batched.
        var cpu = new FakeModel(10, ms -> clockMs += ms, false);
        Outcome outcome = simulate(cpu, 4, 1000,
                new Source("file", SourceKind.FILE, 25, 200), new Source("cam", SourceKind.LIVE, 25, 50));
        assertEquals(50, outcome.masked("cam"), "no live frame shed: " + outcome.shed);
        assertEquals(200, outcome.masked("file"));
        assertTrue(outcome.p95("cam") <= 30, "a live frame waits for one frame's inference at most: p95 " + outcome.p95("cam") + " ms");
        int whileLive = cpu.batches().size();
        assertTrue(cpu.batches().stream().allMatch(n -> n == 1), "one frame a batch while the camera runs: " + cpu.batches());

        var fileAlone = new FakeModel(10, ms -> clockMs += ms, false);
        simulate(fileAlone, 4, 1000, new Source("file", SourceKind.FILE, 25, 200));
        assertEquals(50, fileAlone.batches().size(), "full batches without cameras: " + fileAlone.batches());
        assertTrue(whileLive > 200, "the camera's batches and the file's, one frame each: " + whileLive);
    }

    @Test
    void aLiveBatchSizeSetByTheUserIsKeptWhereBatchingDoesNotPayOff() {
        var cpu = new FakeModel(10, ms -> clockMs += ms, false);
        clockMs = 0;
        var batcher = new FrameBatcher(InferenceRunner.inline(cpu, () -> clockMs * 1_000_000),
                new SegmenterConfig.Batching(4, 50, 1000, true, 3), InputSizing.NATIVE, InputLimits.defaults(), new SegmenterStats());
        var cam = new Source("cam", SourceKind.LIVE, 25, 1);
        var file = new Source("file", SourceKind.FILE, 25, 8);
        batcher.add(frame(cam, 0, 0, 0), 0);
        for (int seq = 0; seq < 8; seq++) {
            batcher.add(frame(file, seq, 0, seq + 1), 0);
        }
        batcher.runReady(0);
        assertEquals(3, cpu.batches().get(0), "the live frame's batch takes the set size: " + cpu.batches());
    }

    @Test
    void camerasJustUnderCapacityAreNotShedWhenBatchTimesVary() {
        // 80 ms a frame on average, each batch between 40 and 120 ms (other processes on the cores): 12.5 fps of capacity
        // for two cameras of 5.8 fps each (93 %).
        var noise = new java.util.Random(1);
        var model = new FakeModel(80, ms -> clockMs += Math.round(ms * (0.5 + noise.nextDouble())), false);
        Outcome outcome = simulate(model, 4, 1000,
                new Source("a", SourceKind.LIVE, 5.8, 600), new Source("b", SourceKind.LIVE, 5.8, 600));
        assertEquals(Map.of(), outcome.shed, "nothing shed below capacity");
        assertEquals(1200, outcome.masked("a") + outcome.masked("b"));
    }
}
