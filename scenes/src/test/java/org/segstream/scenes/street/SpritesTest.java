package org.segstream.scenes.street;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SpritesTest {
    private static final int W = 400;
    private static final int H = 300;
    private static final int PERSON = 15;

    /**
     * Each kind labels only its own class (riders: person), and is a silhouette rather than a box:
     * it stands on wheels or feet, so the lowest tenth of its outline is mostly empty.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void eachKindPaintsItsOwnClassAsASilhouetteOnWheelsOrFeet(Kind kind) {
        var random = new SplittableRandom(kind.ordinal());
        for (int n = 0; n < 20; n++) {
            Sprite sprite = kind.design(random);
            byte[] labels = paint(sprite, 1, 0.3 * n, scaleFor(kind));
            int own = 0;
            int minX = W;
            int maxX = -1;
            int minY = H;
            int maxY = -1;
            for (int p = 0; p < labels.length; p++) {
                int c = labels[p];
                if (c == 0) {
                    continue;
                }
                boolean rider = c == PERSON && (kind == Kind.BICYCLE || kind == Kind.MOTORBIKE);
                assertTrue(c == kind.vocClass || rider, kind + " painted class " + c);
                own += c == kind.vocClass ? 1 : 0;
                minX = Math.min(minX, p % W);
                maxX = Math.max(maxX, p % W);
                minY = Math.min(minY, p / W);
                maxY = Math.max(maxY, p / W);
            }
            assertTrue(own > 200, kind + " painted only " + own + " pixels of its class");
            assertTrue(minX > 0 && maxX < W - 1 && minY > 0 && maxY < H - 1, kind + " fits the test canvas");
            int bandTop = maxY - (maxY - minY + 1) / 10;
            int band = 0;
            for (int y = bandTop; y <= maxY; y++) {
                for (int x = minX; x <= maxX; x++) {
                    band += labels[y * W + x] != 0 ? 1 : 0;
                }
            }
            int bandArea = (maxY - bandTop + 1) * (maxX - minX + 1);
            assertTrue(band < 0.5 * bandArea, kind + " covers " + band + " of the " + bandArea + " pixels at its base");
        }
    }

    private static double scaleFor(Kind kind) {
        return switch (kind) {
            case BUS -> 25;
            case CAR -> 60;
            default -> 80;
        };
    }

    /** A sprite sets the class of every part itself, rather than inheriting the last one painted. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyPartIsLabelledByTheSpriteItself(Kind kind) {
        var random = new SplittableRandom(kind.ordinal() + 100);
        for (int n = 0; n < 10; n++) {
            var canvas = new Canvas(W, H);
            var pen = new Pen(canvas).place(W / 2.0, ground(), scaleFor(kind), 1);
            pen.paint(0x000000, 99); // a class no sprite uses
            kind.design(random).paint(pen, 0.1 * n);
            for (byte label : canvas.labels()) {
                assertTrue(label != 99, kind + " painted a part without setting its class");
            }
        }
    }

    /** Riders are painted before and after their vehicle: the wheels on the ground must still be the vehicle. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"BICYCLE", "MOTORBIKE"})
    void wheelsOnTheGroundBelongToTheVehicleNotTheRider(Kind kind) {
        var random = new SplittableRandom(8);
        for (int n = 0; n < 10; n++) {
            byte[] labels = paint(kind.design(random), 1, 0.13 * n, 80);
            int lowest = ground() - 1;
            int vehicle = 0;
            for (int y = lowest - 4; y <= lowest; y++) {
                for (int x = 0; x < W; x++) {
                    int c = labels[y * W + x];
                    assertTrue(c == 0 || c == kind.vocClass, kind + ": class " + c + " at (" + x + ", " + y + ")");
                    vehicle += c == kind.vocClass ? 1 : 0;
                }
            }
            assertTrue(vehicle > 10, kind + ": tyres touch the ground");
        }
    }

    @Test
    void aRiderlessBicycleIsAllBicycle() {
        var bike = BicycleSprite.random(new SplittableRandom(2));
        byte[] labels = paint(new BicycleSprite(bike.frame(), null), 1, 0.3, 80);
        assertEquals(0, count(labels, PERSON));
        assertTrue(count(labels, Kind.BICYCLE.vocClass) > 300);
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"BICYCLE", "MOTORBIKE"})
    void ridersAreLabelledPerson(Kind kind) {
        byte[] labels = paint(kind.design(new SplittableRandom(1)), 1, 0.2, 80);
        assertTrue(count(labels, PERSON) > 300);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void facingLeftIsTheMirrorImageOfFacingRight(Kind kind) {
        Sprite sprite = kind.design(new SplittableRandom(77));
        double scale = scaleFor(kind) - 0.3; // off the pixel grid: no ties at pixel centres
        byte[] right = paint(sprite, 1, 0.4, scale);
        byte[] left = paint(sprite, -1, 0.4, scale);
        int differ = 0;
        int painted = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                byte r = right[y * W + x];
                differ += r != left[y * W + (W - 1 - x)] ? 1 : 0;
                painted += r != 0 ? 1 : 0;
            }
        }
        assertTrue(differ <= painted / 200, kind + ": " + differ + " of " + painted + " pixels not mirrored");
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"PERSON", "DOG", "BICYCLE", "MOTORBIKE"})
    void thePictureMovesWithThePhase(Kind kind) {
        Sprite sprite = kind.design(new SplittableRandom(5));
        assertFalse(Arrays.equals(canvas(sprite, 1, 0.0, 80).bgr(), canvas(sprite, 1, 0.25, 80).bgr()));
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"PERSON", "DOG"})
    void aStrideLaterTheLegsAreBackInTheSamePose(Kind kind) {
        Sprite sprite = kind.design(new SplittableRandom(5));
        assertTrue(Arrays.equals(paint(sprite, 1, 0.1, 80), paint(sprite, 1, 1.1, 80)));
    }

    @Test
    void walkersKeepAFootOnTheGround() {
        var person = PersonSprite.random(new SplittableRandom(3));
        for (double phase = 0; phase < 1; phase += 0.05) {
            byte[] labels = paint(person, 1, phase, 100);
            int lowest = -1;
            for (int p = 0; p < labels.length; p++) {
                if (labels[p] != 0) {
                    lowest = p / W;
                }
            }
            assertEquals(ground() - 1, lowest, 1.0, "phase " + phase + ": the lowest pixel sits on the ground");
        }
    }

    private static int ground() {
        return H - 30;
    }

    private static byte[] paint(Sprite sprite, int direction, double phase, double scale) {
        return canvas(sprite, direction, phase, scale).labels();
    }

    private static Canvas canvas(Sprite sprite, int direction, double phase, double scale) {
        var canvas = new Canvas(W, H);
        sprite.paint(new Pen(canvas).place(W / 2.0, ground(), scale, direction), phase);
        return canvas;
    }

    private static int count(byte[] labels, int c) {
        int n = 0;
        for (byte l : labels) {
            n += l == c ? 1 : 0;
        }
        return n;
    }
}
