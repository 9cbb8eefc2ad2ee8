package org.segstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveWindowTest {

    /** A camera's records: from {@code firstMs} every {@code everyMs} until {@code lastMs}, each {@code shedEvery}-th shed. */
    private static void camera(List<MasksTopic.Entry> into, String name, long firstMs, long lastMs, long everyMs, int shedEvery) {
        int n = 0;
        for (long t = firstMs; t <= lastMs; t += everyMs) {
            into.add(new MasksTopic.Entry(name, ++n % shedEvery == 0 ? "shed" : "frame", t, t + 100));
        }
        into.add(new MasksTopic.Entry(name, "end", -1, -1));
    }

    @Test
    void countsOnlyWhileEveryCameraDelivers() {
        List<MasksTopic.Entry> entries = new ArrayList<>();
        camera(entries, "cam1", 1_000, 21_000, 100, 2);  // opened first, stopped last: 10 fps, every 2nd frame shed
        camera(entries, "cam2", 5_000, 20_000, 100, 3);  // opened 4 s later, stopped first, every 3rd frame shed
        entries.add(new MasksTopic.Entry("file", "frame", 500, 6_000)); // not a camera

        var window = LiveWindow.of(entries, List.of("cam1", "cam2"));

        assertEquals(5_000, window.fromMs());
        assertEquals(20_000, window.toMs());
        assertEquals(15.0, window.seconds(), 1e-9);
        assertEquals(Map.of("cam1", 76L, "cam2", 101L), window.masks(), "151 frames each in the window");
        assertEquals(Map.of("cam1", 75L, "cam2", 50L), window.shed());
        assertEquals(177 / 15.0, window.masksPerSecond(), 1e-9);
        assertEquals(12.5 / 88.5, window.worstShareDeviation(), 1e-9);
    }

    @Test
    void shedFramesAreCountedByReasonAndByWhetherTheyCameInACamerasStartUp() {
        List<MasksTopic.Entry> entries = new ArrayList<>();
        entries.add(new MasksTopic.Entry("cam1", "frame", 1_000, 1_100));
        entries.add(new MasksTopic.Entry("cam1", "shed", 1_040, 2_000, "deadline"));
        entries.add(new MasksTopic.Entry("cam1", "shed", 9_000, 9_300, "overload"));
        entries.add(new MasksTopic.Entry("cam2", "shed", 7_000, 7_500, "overload"));
        entries.add(new MasksTopic.Entry("cam2", "frame", 7_100, 7_200));
        entries.add(new MasksTopic.Entry("file", "shed", 1_000, 1_100, "stale")); // not a camera of the row
        var count = LiveRows.ShedCount.of(entries, List.of("cam1", "cam2"));
        assertEquals(" (deadline 1, overload 2; 2 in the cameras' first 5 s)", count.reasons());
        assertEquals(1, count.framesPastStartUp(), "cam1's frame captured at 9 s");
        assertEquals(1, count.shedPastStartUp());
        assertEquals(2, count.shedInStartUp());
        assertEquals("", LiveRows.ShedCount.of(entries, List.of("cam3")).reasons());
    }

    @Test
    void aCameraWithoutRecordsLeavesAnEmptyWindow() {
        List<MasksTopic.Entry> entries = new ArrayList<>();
        camera(entries, "cam1", 1_000, 2_000, 100, 1000);
        var window = LiveWindow.of(entries, List.of("cam1", "cam2"));
        assertEquals(0, window.masksPerSecond());
        assertEquals(1, window.worstShareDeviation());
    }
}
