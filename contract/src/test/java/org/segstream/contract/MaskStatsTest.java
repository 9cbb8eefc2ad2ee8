package org.segstream.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskStatsTest {
    @Test
    void classesAreNamedByTheModelsListAndPastItsEndByIndex() {
        var mask = new ClassMap(4, 1, new byte[] {0, 1, 1, 5});
        assertEquals(Map.of("sky", 0.25, "road", 0.5, "class_5", 0.25), MaskStats.fractions(mask, List.of("sky", "road")));
        assertEquals(List.of("sky", "road", "class_5"), List.copyOf(MaskStats.fractions(mask, List.of("sky", "road")).keySet()),
                "in class order");
    }
}
