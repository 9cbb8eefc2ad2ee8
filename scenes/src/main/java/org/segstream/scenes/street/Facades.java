package org.segstream.scenes.street;

import static org.segstream.scenes.street.Colours.jitter;
import static org.segstream.scenes.street.Colours.mix;
import static org.segstream.scenes.street.Colours.pick;
import static org.segstream.scenes.street.Colours.scale;

import java.util.SplittableRandom;

/**
 * The row of building facades behind the far pavement, for {@link Backdrop}: walls of varied colour,
 * windows in a grid (some lit, some curtained, the sky reflected in the upper panes) and at street
 * level a shop front or a door between windows. Draws from the backdrop's random source in a fixed
 * order, so a seed always gives the same street.
 */
final class Facades {
    private static final int BACKGROUND = 0;

    /** One facade's window grid: where its columns stand and how its windows look. */
    private record Grid(double x0, double x1, int frame, int glass, double pitch, double windowWidth, double windowHeight,
                        int columns, double margin) {
        double centre(int column) {
            return x0 + margin + pitch * (column + 0.5);
        }
    }

    private final StreetLayout layout;
    private final SplittableRandom random;
    private final Canvas canvas;
    private final Pen pen;
    private final byte[] mottle;
    private final byte[] rough;
    private final int skyHorizon;

    Facades(StreetLayout layout, SplittableRandom random, Canvas canvas, Pen pen, byte[] mottle, byte[] rough, int skyHorizon) {
        this.layout = layout;
        this.random = random;
        this.canvas = canvas;
        this.pen = pen;
        this.mottle = mottle;
        this.rough = rough;
        this.skyHorizon = skyHorizon;
    }

    /** Facades side by side across the street's width, now and then with a gap between two. */
    void paint() {
        double g = StreetLayout.BUILDING_BASE;
        pen.place(layout.screenX(0, g), layout.row(g), layout.metre(g), 1);
        double half = StreetLayout.halfSpan(g, layout.aspect()) + 2;
        for (double x = -half - 12 * random.nextDouble(); x < half; ) {
            double w = 7 + 12 * random.nextDouble();
            facade(x, x + w, 8 + 18 * random.nextDouble());
            x += w + (random.nextDouble() < 0.15 ? 1 + 3 * random.nextDouble() : 0);
        }
    }

    private void facade(double x0, double x1, double height) {
        int wall = jitter(pick(random, 0x8c4a36, 0xa0522d, 0xc8b08a, 0xd8cfc0, 0xb9c4c9, 0x9a9a96, 0xd9a7a0,
                0xe0d5a0, 0x5a5e66, 0xe8e4dc, 0x7a6a5a), random, 0.08);
        canvas.paint(wall, BACKGROUND).texture(rough, 0.12);
        pen.rect(x0, 0, x1, height);
        canvas.texture(mottle, 0.06);
        canvas.colour(scale(wall, 0.78));
        pen.rect(x0 - 0.15, height - 0.45, x1 + 0.15, height); // cornice
        pen.rect(x0, 3.9, x1, 4.15); // the ledge above the ground floor
        Grid grid = grid(x0, x1, wall);
        double storey = 2.9 + 0.5 * random.nextDouble();
        for (double floor = 4.15; floor + 0.9 + grid.windowHeight() < height - 0.7; floor += storey) {
            for (int i = 0; i < grid.columns(); i++) {
                double cx = grid.centre(i);
                window(cx - grid.windowWidth() / 2, floor + 0.9, cx + grid.windowWidth() / 2, floor + 0.9 + grid.windowHeight(),
                        grid.frame(), grid.glass());
            }
        }
        if (random.nextDouble() < 0.6 && x1 - x0 > 5) {
            shopFront(grid);
        } else {
            doorAndWindows(grid, wall);
        }
        canvas.texture(null, 0);
    }

    private Grid grid(double x0, double x1, int wall) {
        int frame = pick(random, 0xf0f0ec, 0x303234, 0x5a4030, scale(wall, 1.25));
        int glass = jitter(pick(random, 0x2a3440, 0x3a4a5a, 0x28303a, 0x4a5660), random, 0.1);
        double pitch = 2.2 + random.nextDouble();
        double ww = Math.min(pitch - 0.7, 1.0 + 0.5 * random.nextDouble());
        double wh = 1.3 + 0.5 * random.nextDouble();
        int columns = (int) Math.floor((x1 - x0 - 0.8) / pitch);
        double margin = (x1 - x0 - columns * pitch) / 2;
        return new Grid(x0, x1, frame, glass, pitch, ww, wh, columns, margin);
    }

    /** A glazed shop front with mullions and a door, sometimes under an awning. */
    private void shopFront(Grid grid) {
        double x0 = grid.x0();
        double x1 = grid.x1();
        double door = x0 + 1 + (x1 - x0 - 3) * random.nextDouble();
        canvas.texture(null, 0);
        canvas.colour(grid.frame());
        pen.rect(x0 + 0.5, 0.3, x1 - 0.5, 3.4);
        canvas.colour(grid.glass());
        pen.rect(x0 + 0.6, 0.4, x1 - 0.6, 3.3);
        canvas.colour(grid.frame());
        for (double m = x0 + 0.6 + 1.8; m < x1 - 1.0; m += 1.8) {
            pen.rect(m - 0.05, 0.4, m + 0.05, 3.3);
        }
        canvas.colour(scale(grid.glass(), 0.6));
        pen.rect(door, 0, door + 1.1, 2.4);
        if (random.nextDouble() < 0.5) {
            int awning = jitter(pick(random, 0xb02020, 0x206040, 0x1e3a7a, 0xd0a020, 0x303030), random, 0.08);
            canvas.colour(awning);
            pen.poly(x0 + 0.4, 3.5, x1 - 0.4, 3.5, x1 - 0.3, 3.0, x0 + 0.3, 3.0);
        }
    }

    /** A front door, with the ground floor's windows on the grid beside it. */
    private void doorAndWindows(Grid grid, int wall) {
        canvas.texture(null, 0);
        canvas.colour(scale(wall, 0.45));
        double door = grid.x0() + (grid.x1() - grid.x0()) * (0.2 + 0.6 * random.nextDouble());
        pen.rect(door - 0.6, 0, door + 0.6, 2.5);
        for (int i = 0; i < grid.columns(); i++) {
            double cx = grid.centre(i);
            if (Math.abs(cx - door) > grid.pitch() * 0.8) {
                window(cx - grid.windowWidth() / 2, 1.0, cx + grid.windowWidth() / 2, 1.0 + grid.windowHeight(), grid.frame(),
                        grid.glass());
            }
        }
    }

    private void window(double x0, double y0, double x1, double y1, int frame, int glass) {
        canvas.texture(null, 0);
        canvas.colour(frame);
        pen.rect(x0 - 0.1, y0 - 0.12, x1 + 0.1, y1 + 0.08);
        double u = random.nextDouble();
        int pane = u < 0.08 ? jitter(0xe8d49a, random, 0.1) // a lit room
                : u < 0.25 ? mix(glass, 0xd8d4c8, 0.5) // curtains
                : jitter(glass, random, 0.08);
        canvas.colour(pane);
        pen.rect(x0, y0, x1, y1);
        canvas.colour(mix(pane, skyHorizon, 0.3)); // the sky reflected in the upper panes
        pen.rect(x0, y0 + 0.6 * (y1 - y0), x1, y1);
        canvas.colour(frame);
        pen.rect(x0, y0 + 0.55 * (y1 - y0), x1, y0 + 0.6 * (y1 - y0));
    }
}
