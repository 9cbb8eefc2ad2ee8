package org.segstream.ingest;

import org.segstream.contract.BgrImage;

/**
 * Scales a BGR frame down by area averaging (every source pixel counts, no aliasing). Done per frame
 * in Java rather than by FFmpeg's scaler because the target follows each frame's own size: a source
 * that changes resolution mid-stream is fitted anew from its first frame at the new size.
 */
final class Downscale {
    private Downscale() {
    }

    static BgrImage to(BgrImage src, int width, int height) {
        if (width == src.width() && height == src.height()) {
            return src;
        }
        int sw = src.width();
        int sh = src.height();
        byte[] in = src.pixels();
        byte[] out = new byte[width * height * 3];
        int[] x0 = new int[width + 1];
        for (int x = 0; x <= width; x++) {
            x0[x] = (int) ((long) x * sw / width);
        }
        for (int y = 0; y < height; y++) {
            int ya = (int) ((long) y * sh / height);
            int yb = Math.max(ya + 1, (int) ((long) (y + 1) * sh / height));
            for (int x = 0; x < width; x++) {
                int xa = x0[x];
                int xb = Math.max(xa + 1, x0[x + 1]);
                long b = 0;
                long g = 0;
                long r = 0;
                for (int yy = ya; yy < yb; yy++) {
                    int row = yy * sw * 3;
                    for (int xx = xa; xx < xb; xx++) {
                        int i = row + xx * 3;
                        b += in[i] & 0xff;
                        g += in[i + 1] & 0xff;
                        r += in[i + 2] & 0xff;
                    }
                }
                long n = (long) (yb - ya) * (xb - xa);
                int o = (y * width + x) * 3;
                out[o] = (byte) ((b + n / 2) / n);
                out[o + 1] = (byte) ((g + n / 2) / n);
                out[o + 2] = (byte) ((r + n / 2) / n);
            }
        }
        return new BgrImage(width, height, out);
    }
}
