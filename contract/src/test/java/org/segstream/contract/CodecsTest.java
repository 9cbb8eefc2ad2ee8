package org.segstream.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class CodecsTest {

    @Test
    void jpegKeepsSizeAndChannelOrder() {
        int w = 65, h = 33; // odd on purpose
        byte[] bgr = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) { // pure blue in BGR order
            bgr[3 * i] = (byte) 250;
            bgr[3 * i + 1] = 10;
            bgr[3 * i + 2] = 10;
        }
        byte[] jpeg = JpegCodec.encode(new BgrImage(w, h, bgr), 95);
        BgrImage back = JpegCodec.decode(jpeg, 1_000_000);

        assertEquals(w, back.width());
        assertEquals(h, back.height());
        int centre = 3 * (h / 2 * w + w / 2);
        assertTrue((back.pixels()[centre] & 0xff) > 230, "blue stays in byte 0");
        assertTrue((back.pixels()[centre + 2] & 0xff) < 30, "red stays low in byte 2");
    }

    @Test
    void jpegOverPixelCapIsRefusedAndGarbageNamed() {
        byte[] jpeg = JpegCodec.encode(new BgrImage(100, 100, new byte[30_000]), 80);
        assertTrue(assertThrows(BadRecordException.class, () -> JpegCodec.decode(jpeg, 9_999))
                .getMessage().contains("100x100"));
        assertThrows(BadRecordException.class, () -> JpegCodec.decode(new byte[] {1, 2, 3}, 1000));
    }

    @Test
    void maskPngIsLosslessVocPaletteImage() throws Exception {
        int w = 37, h = 21;
        byte[] classes = new byte[w * h];
        var random = new Random(1);
        for (int i = 0; i < classes.length; i++) {
            classes[i] = (byte) random.nextInt(21);
        }
        byte[] png = MaskPng.encode(new ClassMap(w, h, classes));

        ClassMap back = MaskPng.decode(png);
        assertEquals(w, back.width());
        assertEquals(h, back.height());
        assertArrayEquals(classes, back.classes());

        // Any PNG reader sees a palette image with VOC colours: person (15) is (192, 128, 128).
        var image = ImageIO.read(new ByteArrayInputStream(png));
        var colours = (IndexColorModel) image.getColorModel();
        assertEquals(192, colours.getRed(15));
        assertEquals(128, colours.getGreen(15));
        assertEquals(128, colours.getBlue(15));
        assertEquals(128, colours.getRed(1)); // aeroplane
        assertEquals(0, colours.getGreen(1));
    }

    @Test
    void maskPngKeepsEveryIndexAndSizeFromOnePixelToAFrame() {
        for (int[] size : new int[][] {{1, 1}, {640, 360}, {1921, 3}, {3, 1081}}) {
            int w = size[0];
            int h = size[1];
            byte[] classes = new byte[w * h];
            for (int i = 0; i < classes.length; i++) {
                classes[i] = (byte) ((i / 97) % 256); // long runs, and every index 0..255 (255: VOC's void)
            }
            ClassMap back = MaskPng.decode(MaskPng.encode(new ClassMap(w, h, classes)));
            assertEquals(w, back.width());
            assertEquals(h, back.height());
            assertArrayEquals(classes, back.classes(), w + "x" + h);
        }
    }

    @Test
    void vocColoursFollowTheColourMap() {
        assertArrayEquals(new int[] {0, 0, 0}, VocClasses.rgb(0));
        assertArrayEquals(new int[] {128, 128, 128}, VocClasses.rgb(7)); // car
        assertArrayEquals(new int[] {0, 64, 128}, VocClasses.rgb(20)); // tvmonitor
        assertArrayEquals(new int[] {224, 224, 192}, VocClasses.rgb(255)); // void
        assertEquals(21, VocClasses.NAMES.size());
    }
}
