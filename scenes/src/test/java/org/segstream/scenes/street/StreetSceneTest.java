package org.segstream.scenes.street;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.contract.VocClasses;

class StreetSceneTest {
    private static final int[] SIX_CLASSES = {15, 7, 6, 2, 14, 12}; // person, car, bus, bicycle, motorbike, dog

    @ParameterizedTest
    @CsvSource({"320, 180", "161, 91", "64, 48"})
    void sameSeedGivesIdenticalFramesAndLabels(int width, int height) {
        var a = new StreetScene(42, width, height, 25);
        var b = new StreetScene(42, width, height, 25);
        for (int i = 0; i < 40; i++) {
            LabelledFrame fa = a.next();
            LabelledFrame fb = b.next();
            assertEquals(i, fa.index());
            assertArrayEquals(fa.image().pixels(), fb.image().pixels(), "image of frame " + i);
            assertArrayEquals(fa.labels().classes(), fb.labels().classes(), "labels of frame " + i);
        }
    }

    @Test
    void differentSeedsGiveDifferentStreets() {
        LabelledFrame a = new StreetScene(1, 160, 90, 25).next();
        LabelledFrame b = new StreetScene(2, 160, 90, 25).next();
        assertFalse(Arrays.equals(a.image().pixels(), b.image().pixels()));
        assertFalse(Arrays.equals(a.labels().classes(), b.labels().classes()));
    }

    @Test
    void aFrameDoesNotDependOnWhatElseWasRenderedInTheJvm() {
        var alone = new StreetScene(7, 160, 90, 30);
        byte[][] expected = new byte[20][];
        for (int i = 0; i < 20; i++) {
            expected[i] = alone.next().image().pixels();
        }
        // the same scene again, interleaved with other scenes of other seeds, sizes and rates
        var scene = new StreetScene(7, 160, 90, 30);
        var other = new StreetScene(8, 161, 91, 25);
        for (int i = 0; i < 20; i++) {
            other.next();
            new StreetScene(i, 32, 24, 10).next();
            assertArrayEquals(expected[i], scene.next().image().pixels(), "frame " + i);
        }
    }

    /**
     * The alignment proof. The same traffic rendered over a black and over a white backdrop: where the
     * two images agree an object painted the pixel, where they differ the backdrop shows (perhaps in a
     * shadow). That must be exactly where the labels say non-background and background; and the
     * realistic render, with the street and camera effects, must carry the very same labels.
     */
    @ParameterizedTest
    @CsvSource({"320, 180", "161, 91"})
    void labelsMarkExactlyThePixelsThatObjectsPainted(int width, int height) {
        var full = new StreetScene(5, width, height, 25);
        var black = new StreetScene(5, width, height, 25, Rendering.flat(0x000000));
        var white = new StreetScene(5, width, height, 25, Rendering.flat(0xffffff));
        long objectPixels = 0;
        for (int i = 0; i < 60; i++) {
            LabelledFrame f = full.next();
            LabelledFrame b = black.next();
            LabelledFrame w = white.next();
            assertArrayEquals(f.labels().classes(), b.labels().classes(), "labels do not depend on the rendering");
            assertArrayEquals(f.labels().classes(), w.labels().classes(), "labels do not depend on the rendering");
            byte[] labels = f.labels().classes();
            byte[] pb = b.image().pixels();
            byte[] pw = w.image().pixels();
            for (int p = 0; p < labels.length; p++) {
                boolean painted = pb[3 * p] == pw[3 * p] && pb[3 * p + 1] == pw[3 * p + 1] && pb[3 * p + 2] == pw[3 * p + 2];
                if (painted != (labels[p] != 0)) {
                    throw new AssertionError("frame " + i + " pixel (" + p % width + ", " + p / width + "): label "
                            + labels[p] + " but " + (painted ? "painted by an object" : "backdrop showing"));
                }
                objectPixels += painted ? 1 : 0;
            }
        }
        assertTrue(objectPixels > 0.02 * width * height * 60, "objects cover a fair part of the frames");
    }

    @Test
    void cameraEffectsChangeColoursButNotLabels() {
        var full = new StreetScene(9, 160, 90, 25);
        var clean = new StreetScene(9, 160, 90, 25, Rendering.clean());
        for (int i = 0; i < 10; i++) {
            LabelledFrame f = full.next();
            LabelledFrame c = clean.next();
            assertArrayEquals(c.labels().classes(), f.labels().classes());
            assertFalse(Arrays.equals(c.image().pixels(), f.image().pixels()));
        }
    }

    /** Ten seconds of 320x180 at 25 frames/s, for three seeds: every class shows up and things move. */
    @ParameterizedTest
    @CsvSource({"1", "2", "3"})
    void tenSecondsShowAllSixClassesOnTheMove(long seed) {
        int frames = 250;
        var scene = new StreetScene(seed, 320, 180, 25);
        long[] pixels = new long[VocClasses.NAMES.size()];
        int[] framesWith = new int[VocClasses.NAMES.size()];
        int changed = 0;
        byte[] previous = null;
        for (int i = 0; i < frames; i++) {
            byte[] labels = scene.next().labels().classes();
            long[] counts = new long[VocClasses.NAMES.size()];
            for (byte c : labels) {
                counts[c]++;
            }
            for (int c = 0; c < counts.length; c++) {
                pixels[c] += counts[c];
                framesWith[c] += counts[c] > 0 ? 1 : 0;
            }
            if (previous != null && !Arrays.equals(previous, labels)) {
                changed++;
            }
            previous = labels;
        }
        long total = 320L * 180 * frames;
        for (int c : SIX_CLASSES) {
            String name = VocClasses.NAMES.get(c);
            assertTrue(framesWith[c] >= frames / 10, name + " in only " + framesWith[c] + " frames");
            assertTrue(pixels[c] >= total / 10_000, name + " covers only " + pixels[c] + " pixels");
        }
        Set<Integer> allowed = Set.of(0, 15, 7, 6, 2, 14, 12);
        for (int c = 0; c < pixels.length; c++) {
            assertTrue(pixels[c] == 0 || allowed.contains(c), "unexpected class " + c);
        }
        assertTrue(pixels[0] < 0.97 * total && pixels[0] > 0.6 * total, "background share " + (double) pixels[0] / total);
        assertEquals(frames - 1, changed, "the labels change from every frame to the next");
    }

    /** Traffic lives in metres: the same seed at twice the size is the same scene, twice as large. */
    @Test
    void theSceneScalesWithTheFrameSize() {
        var small = new StreetScene(11, 320, 180, 25);
        var large = new StreetScene(11, 640, 360, 25);
        for (int i = 0; i < 5; i++) {
            var s = small.next().labels();
            var l = large.next().labels();
            int same = 0;
            for (int y = 0; y < 180; y++) {
                for (int x = 0; x < 320; x++) {
                    same += s.classAt(x, y) == l.classAt(2 * x + 1, 2 * y + 1) ? 1 : 0;
                }
            }
            assertTrue(same > 0.98 * 320 * 180, "frame " + i + ": " + same + " of " + 320 * 180 + " labels agree");
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 3", "7, 5", "1920, 1080"})
    void rendersAnySize(int width, int height) {
        var scene = new StreetScene(3, width, height, 25);
        LabelledFrame frame = scene.next();
        assertEquals(width, frame.image().width());
        assertEquals(height, frame.image().height());
        assertEquals(width, frame.labels().width());
        assertEquals(height, frame.labels().height());
    }
}
