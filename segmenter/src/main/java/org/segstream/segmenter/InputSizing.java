package org.segstream.segmenter;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;
import org.segstream.contract.JpegCodec;

/**
 * What size the model sees. {@code native}: each frame at its own size (FCN-8s is fully
 * convolutional), batched with frames of the same size only. {@code WxH}: every frame resized to
 * W x H, so frames of all sizes batch together; the class map is then brought back to the frame's
 * size here, by nearest neighbour (class indices must not be blended). This is the one place where
 * masks are resized: every published mask has exactly its frame's size.
 */
public record InputSizing(int width, int height) {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

    public static final InputSizing NATIVE = new InputSizing(0, 0);

    public static InputSizing parse(String text) {
        if (text == null || text.isBlank() || text.equals("native")) {
            return NATIVE;
        }
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(2)) < 1) {
            throw new IllegalArgumentException("model input '" + text + "' is neither 'native' nor WxH (e.g. 640x360)");
        }
        return new InputSizing(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public boolean isNative() {
        return width == 0;
    }

    /** The image the model gets for this frame. */
    BgrImage toModel(BgrImage frame) {
        if (isNative() || (frame.width() == width && frame.height() == height)) {
            return frame;
        }
        var resized = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        var g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(JpegCodec.wrap(frame), 0, 0, width, height, null);
        g.dispose();
        return new BgrImage(width, height, ((DataBufferByte) resized.getRaster().getDataBuffer()).getData());
    }

    /** The model's class map brought to the frame's size (nearest neighbour, pixel centres aligned). */
    static ClassMap toFrame(ClassMap mask, int frameWidth, int frameHeight) {
        if (mask.width() == frameWidth && mask.height() == frameHeight) {
            return mask;
        }
        byte[] out = new byte[frameWidth * frameHeight];
        int[] column = new int[frameWidth];
        for (int x = 0; x < frameWidth; x++) {
            column[x] = Math.min(mask.width() - 1, (int) ((x + 0.5) * mask.width() / frameWidth));
        }
        byte[] in = mask.classes();
        for (int y = 0; y < frameHeight; y++) {
            int row = Math.min(mask.height() - 1, (int) ((y + 0.5) * mask.height() / frameHeight)) * mask.width();
            int o = y * frameWidth;
            for (int x = 0; x < frameWidth; x++) {
                out[o + x] = in[row + column[x]];
            }
        }
        return new ClassMap(frameWidth, frameHeight, out);
    }

    @Override
    public String toString() {
        return isNative() ? "native" : width + "x" + height;
    }
}
