package org.segstream.contract;

/**
 * Hostile JPEGs made from honest ones, for tests in any module (the contract's test jar): a frame
 * header that lies about the size, or declares a fourth (CMYK/YCCK) component.
 */
public final class JpegEdits {
    private JpegEdits() {
    }

    /** Offset of the 0xFF of the JPEG's frame header (SOF0..SOF2). */
    public static int sofOffset(byte[] jpeg) {
        int pos = 2;
        while (true) {
            int marker = jpeg[pos + 1] & 0xff;
            if (marker >= 0xC0 && marker <= 0xC2) {
                return pos;
            }
            pos += 2 + (((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff));
        }
    }

    /** The JPEG with the size in its frame header changed, its image data left as it is. */
    public static byte[] withSofSize(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        int sof = sofOffset(out);
        out[sof + 5] = (byte) (height >> 8);
        out[sof + 6] = (byte) height;
        out[sof + 7] = (byte) (width >> 8);
        out[sof + 8] = (byte) width;
        return out;
    }

    /** The JPEG with a fourth component in its frame header, as CMYK and YCCK files have. */
    public static byte[] asFourComponents(byte[] jpeg) {
        int sof = sofOffset(jpeg);
        int length = ((jpeg[sof + 2] & 0xff) << 8) | (jpeg[sof + 3] & 0xff);
        int end = sof + 2 + length;
        byte[] out = new byte[jpeg.length + 3];
        System.arraycopy(jpeg, 0, out, 0, end);
        out[end] = 4;         // component id
        out[end + 1] = 0x11;  // sampling 1x1
        out[end + 2] = 0;     // quantisation table 0
        System.arraycopy(jpeg, end, out, end + 3, jpeg.length - end);
        out[sof + 3] = (byte) (length + 3);
        out[sof + 9] = 4;     // component count
        return out;
    }
}
