package org.segstream.sink;

import java.util.List;
import org.segstream.contract.Mask;

/**
 * When one frame passed each hand-over of the pipeline, epoch milliseconds, read from its mask record
 * (-1 where the record does not say, e.g. masks of an older segmenter). The clocks are those of the
 * machines involved, so on one machine the stages add up to the end-to-end latency.
 *
 * @param originMs         ingest read the frame (else its capture time): where latency starts
 * @param frameSentMs      ingest handed the JPEG to its Kafka producer (the frame record's timestamp, kept by the mask)
 * @param segmenterInMs    the segmenter's task took the frame record
 * @param segmenterOutMs   the segmenter forwarded the mask (inference and PNG encode done)
 * @param sinkReceivedMs   the sink's consumer returned the committed mask
 * @param writtenMs        the sink had written the overlay
 */
public record FrameTimeline(long originMs, long frameSentMs, long segmenterInMs, long segmenterOutMs, long sinkReceivedMs,
                            long writtenMs) {

    /** Names of {@link #stageMillis()}, in order. */
    public static final List<String> STAGES = List.of("ingest", "frames topic", "segmenter", "commit + masks topic", "sink");

    /** {@code frameSentMs}: the mask record's timestamp, which is its frame record's. */
    static FrameTimeline of(Mask mask, long frameSentMs, long sinkReceivedMs, long writtenMs) {
        return new FrameTimeline(mask.frame().latencyOriginMs(), frameSentMs, mask.times().inMs(), mask.times().outMs(),
                sinkReceivedMs, writtenMs);
    }

    public long endToEndMillis() {
        return writtenMs - originMs;
    }

    /**
     * Milliseconds in each of {@link #STAGES}: ingest (decode, JPEG encode), frames topic (producer, broker,
     * the segmenter's fetch and its queue of records not yet processed), segmenter (batch wait, inference,
     * waiting for earlier frames, PNG encode), commit + masks topic (the transaction commit, the sink's
     * fetch), sink (frame fetch, decodes, blend, H.264). -1 where a time is unknown.
     */
    public long[] stageMillis() {
        long[] at = {originMs, frameSentMs, segmenterInMs, segmenterOutMs, sinkReceivedMs, writtenMs};
        long[] stages = new long[at.length - 1];
        for (int i = 0; i < stages.length; i++) {
            stages[i] = at[i] < 0 || at[i + 1] < 0 ? -1 : at[i + 1] - at[i];
        }
        return stages;
    }
}
