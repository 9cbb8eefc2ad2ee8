package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.HeaderValues;
import org.segstream.contract.SourceKind;

class FrameTimelineTest {
    private static final FrameIdentity FRAME = new FrameIdentity("cam1", "s1", 7, 280_000, 1_000, 640, 360, 25, "png",
            SourceKind.LIVE, 10_000);

    private static ConsumerRecord<String, byte[]> mask(long timestamp, RecordHeaders headers) {
        FRAME.writeTo(headers);
        return new ConsumerRecord<>("segstream.masks", 0, 42, timestamp, TimestampType.CREATE_TIME, 0, 0, "cam1", new byte[0],
                headers, Optional.empty());
    }

    @Test
    void theMasksTimesSplitTheLatencyIntoStagesThatAddUpToIt() {
        var headers = new RecordHeaders();
        HeaderValues.put(headers, HeaderNames.SEGMENTER_IN_MS, 10_030);
        HeaderValues.put(headers, HeaderNames.SEGMENTER_OUT_MS, 10_130);
        var timeline = FrameTimeline.of(FRAME, mask(10_012, headers), 10_150, 10_171);

        assertArrayEquals(new long[] {12, 18, 100, 20, 21}, timeline.stageMillis(), "ingest, frames topic, segmenter, commit, sink");
        assertEquals(171, timeline.endToEndMillis(), "from the ingest time, not the capture time");
        assertEquals(FrameTimeline.STAGES.size(), timeline.stageMillis().length);
    }

    @Test
    void stagesAnOlderSegmenterDidNotStampAreUnknownNotZero() {
        var headers = new RecordHeaders();
        HeaderValues.put(headers, HeaderNames.SEGMENTER_OUT_MS, "not a number");
        var timeline = FrameTimeline.of(FRAME, mask(10_012, headers), 10_150, 10_171);

        assertArrayEquals(new long[] {12, -1, -1, -1, 21}, timeline.stageMillis());
        assertEquals(171, timeline.endToEndMillis());
    }
}
