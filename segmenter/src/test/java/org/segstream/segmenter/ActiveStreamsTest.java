package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActiveStreamsTest {

    @Test
    void aFullTableRefusesNewStreamsButKeepsTakingKnownOnes() {
        var streams = new ActiveStreams(InputLimits.defaults().withStreams(2, 1000, 1), s -> { });
        assertTrue(streams.seen("a", 0));
        assertTrue(streams.seen("b", 10));
        assertFalse(streams.hasRoomFor("c", 20));
        assertFalse(streams.seen("c", 20));
        assertTrue(streams.seen("a", 30));
        assertEquals("a", streams.label("a"));
        assertEquals(ActiveStreams.OTHER, streams.label("b"), "past the label cap");
        assertEquals(ActiveStreams.OTHER, streams.label("c"), "never taken");
    }

    @Test
    void idleStreamsAreForgottenWithTheirSeriesAndTheirPlaceAndLabelGoToNewOnes() {
        List<String> forgotten = new ArrayList<>();
        var streams = new ActiveStreams(InputLimits.defaults().withStreams(2, 1000, 1), forgotten::add);
        streams.seen("a", 0);
        streams.seen("b", 500);
        streams.seen("b", 1200);           // "a" was idle for 1000 ms: forgotten
        assertEquals(List.of("a"), forgotten);
        assertEquals(1, streams.size());
        assertTrue(streams.seen("c", 1300));
        assertEquals("c", streams.label("c"), "the freed label goes to the next new stream");
        assertEquals(ActiveStreams.OTHER, streams.label("b"), "b keeps the label it had");
        assertEquals(1, streams.labelled());
    }

    @Test
    void aStreamNamedLikeTheSharedLabelDoesNotTakeIt() {
        var streams = new ActiveStreams(InputLimits.defaults(), s -> { });
        streams.seen(ActiveStreams.OTHER, 0);
        assertEquals(0, streams.labelled());
    }
}
