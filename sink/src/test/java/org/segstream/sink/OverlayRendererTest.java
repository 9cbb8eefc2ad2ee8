package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;

class OverlayRendererTest {

    @Test
    void backgroundStaysClearAndClassesAreBlendedInBgrOrder() {
        byte[] px = {100, 100, 100, 100, 100, 100};
        var frame = new BgrImage(2, 1, px);
        var mask = new ClassMap(2, 1, new byte[] {0, 15}); // background, person (RGB 192,128,128)

        BgrImage out = new OverlayRenderer(0.5).render(frame, mask);

        assertEquals(100, out.pixels()[0] & 0xff);
        assertEquals(100, out.pixels()[2] & 0xff);
        assertEquals((100 + 128) / 2, out.pixels()[3] & 0xff); // blue
        assertEquals((100 + 128) / 2, out.pixels()[4] & 0xff); // green
        assertEquals((100 + 192) / 2, out.pixels()[5] & 0xff); // red
        assertEquals(100, frame.pixels()[5] & 0xff, "the frame itself is not modified");
    }

    @Test
    void aClassFilterLeavesOtherClassesClear() {
        var frame = new BgrImage(2, 1, new byte[] {50, 50, 50, 50, 50, 50});
        var mask = new ClassMap(2, 1, new byte[] {7, 15}); // car, person
        BgrImage out = new OverlayRenderer(1.0, java.util.Set.of("person")).render(frame, mask);
        assertEquals(50, out.pixels()[0] & 0xff, "car is not coloured");
        assertEquals(192, out.pixels()[5] & 0xff, "person is");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new OverlayRenderer(0.5, java.util.Set.of("persons")));
    }

    @Test
    void classesAreNamedAsTheModelNamesThem() {
        List<String> model = List.of("background", "road", "vehicle");
        var renderer = new OverlayRenderer(0.5, Set.of("vehicle"), model);
        assertEquals(model, renderer.classNames());
        assertTrue(renderer.shows(2) && !renderer.shows(1), "only the class the model calls 'vehicle' is coloured");
        var refused = assertThrows(IllegalArgumentException.class, () -> new OverlayRenderer(0.5, Set.of("car"), model));
        assertEquals("overlay class 'car' is not one of [background, road, vehicle]", refused.getMessage());
        var sink = SinkConfig.of("127.0.0.1:9092", org.segstream.contract.Topics.defaults(), java.nio.file.Path.of("out"), false)
                .withClassNames(model).withAnnotations(true, false);
        assertEquals(model, sink.overlay().classNames(), "the names survive the other settings");
    }

    @Test
    void legendAndCaptionAreDrawnOnTheOverlay() {
        int w = 320, h = 180;
        var overlay = new BgrImage(w, h, new byte[w * h * 3]);
        byte[] classes = new byte[w * h];
        classes[0] = 15;
        var renderer = new OverlayRenderer(0.5);
        new OverlayAnnotator(true, true, renderer).annotate(overlay, new ClassMap(w, h, classes), "cam  #7  25.0 fps  latency 80 ms");
        int changedBottomLeft = 0;
        int changedTopRight = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean lit = overlay.pixels()[3 * (y * w + x) + 2] != 0;
                if (lit && y > h - 20 && x < 200) {
                    changedBottomLeft++;
                }
                if (lit && y < 25 && x > w - 100) {
                    changedTopRight++;
                }
            }
        }
        assertTrue(changedBottomLeft > 50, "caption text drawn");
        assertTrue(changedTopRight > 20, "legend entry for person drawn");
    }

    @Test
    void fullOpacityPaintsTheClassColour() {
        var out = new OverlayRenderer(1.0).render(new BgrImage(1, 1, new byte[] {9, 9, 9}), new ClassMap(1, 1, new byte[] {7}));
        assertEquals(128, out.pixels()[0] & 0xff); // car is grey 128
    }
}
