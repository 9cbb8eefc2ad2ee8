package org.segstream.sink;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.JpegCodec;
import org.segstream.contract.VocClasses;

/**
 * Draws the optional legend (the colour of each class present in the frame) and caption (stream,
 * sequence number, fps, end-to-end latency) onto an overlay, in place.
 */
final class OverlayAnnotator {
    /** Translucent black behind text, so it reads on any frame. */
    private static final Color BACKDROP = new Color(0, 0, 0, 160);
    private final boolean legend;
    private final boolean caption;
    private final OverlayRenderer renderer;

    OverlayAnnotator(boolean legend, boolean caption, OverlayRenderer renderer) {
        this.legend = legend;
        this.caption = caption;
        this.renderer = renderer;
    }

    boolean draws() {
        return legend || caption;
    }

    void annotate(BgrImage overlay, ClassMap mask, String text) {
        if (!draws()) {
            return;
        }
        Graphics2D g = JpegCodec.wrap(overlay).createGraphics(); // shares the overlay's pixels
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int size = Math.max(9, Math.min(18, overlay.height() / 24));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            int line = size + 4;
            if (caption) {
                drawCaption(g, overlay, text, line);
            }
            if (legend) {
                drawLegend(g, overlay, mask, line);
            }
        } finally {
            g.dispose();
        }
    }

    /** The text on a dark band at the bottom left. */
    private static void drawCaption(Graphics2D g, BgrImage overlay, String text, int line) {
        int width = g.getFontMetrics().stringWidth(text) + 8;
        g.setColor(BACKDROP);
        g.fillRect(0, overlay.height() - line - 2, width, line + 2);
        g.setColor(Color.WHITE);
        g.drawString(text, 4, overlay.height() - 5);
    }

    /** At the top right, one row per class present in the mask and shown by the overlay: its colour and name. */
    private void drawLegend(Graphics2D g, BgrImage overlay, ClassMap mask, int line) {
        boolean[] present = new boolean[256];
        for (byte c : mask.classes()) {
            present[c & 0xff] = true;
        }
        int y = 4;
        var names = renderer.classNames();
        for (int c = 1; c < names.size(); c++) {
            if (!present[c] || !renderer.shows(c)) {
                continue;
            }
            int[] rgb = VocClasses.rgb(c);
            int width = g.getFontMetrics().stringWidth(names.get(c)) + line + 8;
            int x = overlay.width() - width - 4;
            g.setColor(BACKDROP);
            g.fillRect(x, y, width, line);
            g.setColor(new Color(rgb[0], rgb[1], rgb[2]));
            g.fillRect(x + 3, y + 3, line - 6, line - 6);
            g.setColor(Color.WHITE);
            g.drawString(names.get(c), x + line, y + line - 5);
            y += line + 2;
        }
    }
}
