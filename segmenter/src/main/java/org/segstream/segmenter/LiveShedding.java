package org.segstream.segmenter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which live frames are shed, and why. A live stream's oldest frame is shed at once when it is already past its
 * deadline ("stale"), when it or the stream's newest frame could not be done by its deadline with the frames
 * ahead of it ("deadline"), or when the live cameras together send more than a batch's time can segment and the
 * stream holds more than its fair share of a batch ("overload": the older frame goes, so the ones segmented stay
 * fresh instead of ageing to the deadline). A shed frame is marked ({@link PendingFrame#dropped}) and its task
 * forwards a shed marker in its place. File frames are never shed.
 */
final class LiveShedding {
    static final String STALE = "stale";
    static final String DEADLINE = "deadline";
    static final String OVERLOAD = "overload";

    private final int batchSize;
    private final int runs;
    private final long maxFrameAgeMillis;
    private final InferenceTimes times;

    /** {@code batchSize}: the most frames of a batch while cameras run; {@code runs}: batches the model runs at once. */
    LiveShedding(int batchSize, int runs, long maxFrameAgeMillis, InferenceTimes times) {
        this.batchSize = batchSize;
        this.runs = runs;
        this.maxFrameAgeMillis = maxFrameAgeMillis;
        this.times = times;
    }

    /** Sheds, in each live stream, the oldest frames that cannot be segmented in time or are over the stream's share; forgets quiet streams. */
    void shed(WaitingFrames waiting, long nowMillis) {
        waiting.forgetQuietStreams(nowMillis, WaitingFrames.LIVE_IDLE_MS + maxFrameAgeMillis);
        int liveWaiting = 0;
        int streamsWaiting = 0;
        for (WaitingFrames.LiveStream stream : waiting.liveStreams()) {
            liveWaiting += stream.queue.size();
            streamsWaiting += stream.queue.isEmpty() ? 0 : 1;
        }
        if (liveWaiting == 0) {
            return;
        }
        Map<WaitingFrames.LiveStream, Integer> caps = overloadCaps(waiting, nowMillis);
        // Frames of a stream ahead of its newest: it gets about places / streamsWaiting places a batch's time.
        int perBatch = Math.max(1, places() / streamsWaiting);
        int batchFrames = Math.min(batchSize, liveWaiting);
        for (WaitingFrames.LiveStream stream : waiting.liveStreams()) {
            double batchMs = times.millis(batchFrames, stream.pixels);
            shedOldest(stream.queue, caps.getOrDefault(stream, Integer.MAX_VALUE), perBatch, batchMs, nowMillis);
        }
    }

    private static void shedOldest(ArrayDeque<PendingFrame> queue, int cap, int perBatch, double batchMs, long nowMillis) {
        while (!queue.isEmpty()) {
            String reason = reasonToShedOldest(queue, cap, perBatch, batchMs, nowMillis);
            if (reason == null) {
                return;
            }
            queue.pollFirst().dropped = reason;
        }
    }

    private static String reasonToShedOldest(ArrayDeque<PendingFrame> queue, int cap, int perBatch, double batchMs, long nowMillis) {
        PendingFrame oldest = queue.peekFirst();
        int n = queue.size();
        long newestDone = nowMillis + (long) Math.ceil((double) n / perBatch * batchMs);
        if (nowMillis > oldest.deadlineMillis) {
            return STALE;
        }
        if (n > cap) {
            return OVERLOAD;
        }
        if (nowMillis + batchMs > oldest.deadlineMillis || newestDone > queue.peekLast().deadlineMillis) {
            return DEADLINE;
        }
        return null;
    }

    /** Frames segmented in one batch's time: a batch's places in each of the runs at once. */
    private int places() {
        return batchSize * runs;
    }

    /**
     * Under overload (the live cameras send more frames in a full batch's time than the runs' batches hold), the most
     * frames each live stream may keep: its fair share of a batch's places, filled up from the slowest camera
     * (max-min fairness), rounded up, and one more: the frame that waits for the next round. Without it, a load near
     * capacity whose measured batch time rose for a moment (another process on the cores) shed frames that would
     * have made it (31 of 1093 in the bench's mixed row at 88 % of the pipeline's capacity). Empty when the cameras
     * fit, or before a batch has been timed.
     */
    private Map<WaitingFrames.LiveStream, Integer> overloadCaps(WaitingFrames waiting, long nowMillis) {
        List<WaitingFrames.LiveStream> active = new ArrayList<>();
        Map<WaitingFrames.LiveStream, Double> wants = new HashMap<>();
        double demand = 0;
        for (WaitingFrames.LiveStream stream : waiting.liveStreams()) {
            double fullBatchMs = times.millis(batchSize, stream.pixels);
            if (stream.fps > 0 && stream.active(nowMillis) && fullBatchMs > 0) {
                active.add(stream);
                // a batch's places this stream fills in a full batch's time of its own frames
                wants.put(stream, stream.fps * fullBatchMs / 1000);
                demand += wants.get(stream);
            }
        }
        if (demand <= places()) {
            return Map.of();
        }
        active.sort((a, b) -> Double.compare(wants.get(a), wants.get(b)));
        Map<WaitingFrames.LiveStream, Integer> caps = new HashMap<>();
        double placesLeft = places();
        for (int i = 0; i < active.size(); i++) {
            WaitingFrames.LiveStream stream = active.get(i);
            double wanted = wants.get(stream);
            double share = Math.min(wanted, placesLeft / (active.size() - i));
            placesLeft -= share;
            if (wanted > share) {
                caps.put(stream, (int) Math.max(1, Math.ceil(share)) + 1);
            }
        }
        return caps;
    }
}
