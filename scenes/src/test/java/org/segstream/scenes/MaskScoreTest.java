package org.segstream.scenes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.segstream.contract.ClassMap;
import org.segstream.contract.VocClasses;

class MaskScoreTest {

    @Test
    void meanIouAveragesTheClassesOfTheGroundTruth() {
        // truth: 0 0 15 15 ; predicted: 0 15 15 7 (7 is not in the truth: it lowers IoU of 15 and 0 only)
        var score = new MaskScore();
        score.add(new ClassMap(4, 1, new byte[] {0, 0, 15, 15}), new ClassMap(4, 1, new byte[] {0, 15, 15, 7}));

        assertEquals(1.0 / 2, score.iou(0), 1e-12);      // tp 1, truth 2, predicted 1
        assertEquals(1.0 / 3, score.iou(15), 1e-12);     // tp 1, truth 2, predicted 2
        assertEquals((0.5 + 1.0 / 3) / 2, score.meanIou(), 1e-12);
        assertEquals(0.5, score.pixelAccuracy(), 1e-12);
        assertEquals(List.of("background", "person"), List.copyOf(score.perClassIou(VocClasses.NAMES).keySet()));
    }

    @Test
    void voidPixelsAreIgnored() {
        var score = new MaskScore();
        score.add(new ClassMap(2, 1, new byte[] {(byte) 255, 7}), new ClassMap(2, 1, new byte[] {0, 7}));
        assertEquals(1.0, score.meanIou(), 1e-12);
    }
}
