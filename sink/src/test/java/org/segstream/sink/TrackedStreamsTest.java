package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.scenes.TestPattern;
import org.segstream.video.VideoEncoder;

/** The bounded table of streams, on a fake clock. */
class TrackedStreamsTest {
    static final TopicPartition P0 = new TopicPartition("masks", 0);
    static final TopicPartition P1 = new TopicPartition("masks", 1);

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong();
    private final TrackedStreams table = new TrackedStreams(new StreamLimits(Duration.ofSeconds(10), 3), clock::get);

    /** Admits {@code stream} with a file open since mask {@code offset} of {@code partition}. */
    private TrackedStreams.Tracked open(String stream, TopicPartition partition, long offset) throws Exception {
        return withOpenFile(table.admit(stream).tracked(), stream, partition, offset);
    }

    private TrackedStreams.Tracked withOpenFile(TrackedStreams.Tracked tracked, String stream, TopicPartition partition, long offset)
            throws Exception {
        var first = StreamOutputTest.live("s1", 0);
        var identity = new org.segstream.contract.FrameIdentity(stream, "s1", 0, 0, first.captureTimeMs(), 160, 90, 10, "jpeg",
                first.sourceKind());
        tracked.output = new StreamOutput(dir, identity, false, VideoEncoder.Settings.h264(), 60);
        tracked.output.write(identity, TestPattern.frame(0, 160, 90), new byte[0], offset);
        tracked.partition = partition;
        return tracked;
    }

    @Test
    void aStreamIdleLongerThanTheTimeoutIsHandedBackOnce() throws Exception {
        open("a", P0, 5);
        clock.addAndGet(Duration.ofSeconds(6).toNanos());
        table.admit("b");
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        List<TrackedStreams.Evicted> idle = table.takeIdle();
        assertEquals(List.of("a"), idle.stream().map(TrackedStreams.Evicted::stream).toList(), "b was seen 5 s ago");
        assertEquals(List.of(), table.takeIdle());
        assertEquals(1, table.size());
        idle.get(0).tracked().output.close();
    }

    @Test
    void whenFullTheLeastRecentlyActiveStreamWithoutAnOpenFileMakesRoom() throws Exception {
        open("a", P0, 0);
        table.admit("b"); // no open file: its session ended
        open("c", P0, 1);
        table.seen("b"); // b is the most recently active now; it still goes first, having no file open
        TrackedStreams.Admission d = table.admit("d");
        assertEquals("b", d.madeRoom().stream());
        assertEquals(3, table.size());
        withOpenFile(d.tracked(), "d", P0, 2);
        TrackedStreams.Admission e = table.admit("e");
        assertNull(e.tracked(), "every stream left has an open file: e is refused");
        assertNull(e.madeRoom());
        assertSame(d.tracked(), table.admit("d").tracked(), "a tracked stream is always let in");
        table.takeAll().forEach(x -> {
            try {
                if (x.tracked().output != null) {
                    x.tracked().output.close();
                }
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        });
    }

    @Test
    void theCommitStopsAtTheFirstMaskOfAnOpenFileOnThatPartitionOnly() throws Exception {
        open("a", P0, 40);
        open("b", P1, 7);
        assertEquals(40, table.committable(P0, 100));
        assertEquals(7, table.committable(P1, 100));
        assertEquals(3, table.committable(P1, 3), "never beyond what was handled");
        TrackedStreams.Evicted a = table.takePartition(P0).get(0);
        a.tracked().output.closeIncomplete("test");
        assertEquals(100, table.committable(P0, 100));
        table.takeAll().get(0).tracked().output.close();
    }
}
