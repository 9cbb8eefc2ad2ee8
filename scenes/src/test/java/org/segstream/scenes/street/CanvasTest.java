package org.segstream.scenes.street;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CanvasTest {

    @Test
    void aPixelBelongsToAShapeWhenItsCentreIsInside() {
        var canvas = new Canvas(6, 4);
        canvas.paint(0x102030, 7).fillRect(0.5, 0.4, 2.5, 1.6); // centres x 0.5, 1.5 and y 0.5, 1.5 are inside
        assertArrayEquals(new byte[] {
                7, 7, 0, 0, 0, 0,
                7, 7, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0}, canvas.labels());
        assertEquals(0x30, canvas.bgr()[0] & 0xff, "blue first");
        assertEquals(0x20, canvas.bgr()[1] & 0xff);
        assertEquals(0x10, canvas.bgr()[2] & 0xff);
    }

    @Test
    void trianglesSharingAnEdgeTileTheirQuadWithoutGapOrOverlap() {
        double[] qx = {0, 13.3, 20, 7.1};
        double[] qy = {0, 2.2, 20, 19.7};
        byte[] quad = fill(qx, qy);
        byte[] first = fill(new double[] {qx[0], qx[1], qx[3]}, new double[] {qy[0], qy[1], qy[3]});
        byte[] second = fill(new double[] {qx[1], qx[2], qx[3]}, new double[] {qy[1], qy[2], qy[3]});
        for (int p = 0; p < quad.length; p++) {
            assertEquals(quad[p], first[p] + second[p], "pixel (" + p % 20 + ", " + p / 20 + ")");
        }
    }

    private static byte[] fill(double[] xs, double[] ys) {
        var canvas = new Canvas(20, 20);
        canvas.paint(0xffffff, 1).fillPolygon(xs, ys, xs.length);
        return canvas.labels();
    }

    @Test
    void shadowsAndTexturesChangeColourOnly() {
        var canvas = new Canvas(10, 10);
        canvas.paint(0x808080, 0).fillRect(0, 0, 10, 10);
        canvas.paint(0x808080, 3).fillRect(0, 0, 5, 10);
        byte[] before = canvas.labels().clone();
        canvas.shadeEllipse(5, 5, 4, 4, 0.5);
        assertArrayEquals(before, canvas.labels());
        assertEquals(0x40, canvas.bgr()[3 * (5 * 10 + 5)] & 0xff);
        byte[] field = new byte[100];
        java.util.Arrays.fill(field, (byte) 127);
        canvas.paint(0x808080, 3).texture(field, 0.5).fillRect(0, 0, 5, 10);
        assertArrayEquals(before, canvas.labels());
        assertEquals(0xc0, canvas.bgr()[0] & 0xff);
    }
}
