package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramePosition;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.Mask;
import org.segstream.contract.SourceKind;
import org.segstream.contract.Topics;

class FrameTimelineTest {
    private static final FrameIdentity FRAME = new FrameIdentity("cam1", "s1", 7, 280_000, 1_000, 640, 360, 25, "png",
            SourceKind.LIVE, 10_000);

    /** A mask record with {@code headers} (the segmenter's times), as the sink's consumer reads it. */
    private static Mask mask(RecordHeaders headers) {
        FRAME.writeTo(headers);
        new FramePosition(0, 42).writeTo(headers);
        return (Mask) Topics.MASKS.valueSerde().deserializer().deserialize(Topics.MASKS.name(), headers, new byte[0]);
    }

    @Test
    void theMasksTimesSplitTheLatencyIntoStagesThatAddUpToIt() {
        var headers = new RecordHeaders();
        HeaderValues.put(headers, HeaderNames.SEGMENTER_IN_MS, 10_030);
        HeaderValues.put(headers, HeaderNames.SEGMENTER_OUT_MS, 10_130);
        var timeline = FrameTimeline.of(mask(headers), 10_012, 10_150, 10_171);

        assertArrayEquals(new long[] {12, 18, 100, 20, 21}, timeline.stageMillis(), "ingest, frames topic, segmenter, commit, sink");
        assertEquals(171, timeline.endToEndMillis(), "from the ingest time, not the capture time");
        assertEquals(FrameTimeline.STAGES.size(), timeline.stageMillis().length);
    }

    @Test
    void stagesAnOlderSegmenterDidNotStampAreUnknownNotZero() {
        var headers = new RecordHeaders();
        HeaderValues.put(headers, HeaderNames.SEGMENTER_OUT_MS, "not a number");
        var timeline = FrameTimeline.of(mask(headers), 10_012, 10_150, 10_171);

        assertArrayEquals(new long[] {12, -1, -1, -1, 21}, timeline.stageMillis());
        assertEquals(171, timeline.endToEndMillis());
    }
}
