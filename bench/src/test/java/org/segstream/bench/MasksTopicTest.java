package org.segstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.segstream.contract.ClassMap;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.FramePosition;
import org.segstream.contract.Mask;
import org.segstream.contract.MaskPng;
import org.segstream.contract.MasksTopicRecord;
import org.segstream.contract.SegmenterTimes;
import org.segstream.contract.ShedMarker;
import org.segstream.contract.SourceKind;
import org.segstream.contract.StreamEnd;
import org.segstream.contract.Topics;

/** The bench reads the masks topic through the topic's own Serde: each record's stream, kind and times. */
class MasksTopicTest {
    private static final FrameIdentity FRAME = new FrameIdentity("cam1", "s", 7, 0, 1_000, 64, 48, 4, "jpeg", SourceKind.LIVE, 1_010);

    /** As a consumer of the masks topic sees {@code record}: written and read back by {@link Topics#MASKS}' Serde. */
    private static MasksTopic.Entry readBack(MasksTopicRecord record) {
        var headers = new RecordHeaders();
        var serde = Topics.MASKS.valueSerde();
        byte[] value = serde.serializer().serialize("t", headers, record);
        return MasksTopic.entry("cam1", serde.deserializer().deserialize("t", headers, value));
    }

    @Test
    void masksShedMarkersAndEndsReadAsTheirKindWithTheirTimes() {
        var position = new FramePosition(0, 3);
        var times = new SegmenterTimes(1_100, 1_180);
        byte[] png = MaskPng.encode(new ClassMap(64, 48, new byte[64 * 48]));
        assertEquals(new MasksTopic.Entry("cam1", "frame", 1_000, 1_180), readBack(new Mask(FRAME, position, "m:1", times, png)));
        assertEquals(new MasksTopic.Entry("cam1", "shed", 1_000, 1_180, "overload"), readBack(new ShedMarker(FRAME, "overload", position, times)));
        assertEquals(new MasksTopic.Entry("cam1", "end", -1, -1), readBack(new StreamEnd("cam1", "s", 8)));
    }

    @Test
    void aRecordThatBreaksTheContractIsNeitherAMaskNorAShedMarker() {
        var headers = new RecordHeaders();
        var record = Topics.MASKS.valueSerde().deserializer().deserialize("t", headers, new byte[] {1, 2});
        assertEquals(new MasksTopic.Entry("cam1", MasksTopic.UNREADABLE, -1, -1), MasksTopic.entry("cam1", record));
    }
}
