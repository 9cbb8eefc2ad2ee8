package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void fullOpacityPaintsTheClassColour() {
        var out = new OverlayRenderer(1.0).render(new BgrImage(1, 1, new byte[] {9, 9, 9}), new ClassMap(1, 1, new byte[] {7}));
        assertEquals(128, out.pixels()[0] & 0xff); // car is grey 128
    }
}
