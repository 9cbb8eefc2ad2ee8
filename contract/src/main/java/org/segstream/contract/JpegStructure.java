package org.segstream.contract;

/**
 * What a JPEG says about itself, read from its markers without decoding a pixel: the size and
 * component count of its frame header (SOF), and whether the byte stream is whole. Checking this
 * first means a decoder only ever gets what the bytes are worth: a 1 KB file that declares 4K, or one
 * cut short (which a decoder fills in with grey, at full cost), is refused here in microseconds.
 *
 * <p>A frame is a complete, 8-bit, Huffman-coded baseline, extended-sequential or progressive JPEG
 * with 3 components (YCbCr, or RGB), one frame header, at least one scan and an end-of-image marker.
 * Bytes after the end-of-image marker are ignored, as decoders do. Its bytes must also be able to
 * hold the size it declares: every 8x8 block of every component takes at least 2 bits in a sequential
 * JPEG (a Huffman code for its DC difference and one for its AC coefficients, each at least 1 bit) and
 * at least 1 bit in a progressive one (its DC difference in the first DC scan). A black 3840x2160 frame
 * takes about 130 KB (sequential) or 49 KB (progressive), against floors of 48 KB and 24 KB; a 2 KB
 * file that declares 4K is refused here rather than decoded into 25 MB of grey.
 */
public record JpegStructure(int width, int height, int components, boolean progressive) {

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DNL = 0xDC;

    public long pixels() {
        return (long) width * height;
    }

    /** Reads {@code jpeg}'s structure; throws {@link BadRecordException} naming the first thing that makes it no frame. */
    public static JpegStructure check(byte[] jpeg) {
        if (jpeg == null || jpeg.length == 0) {
            throw new BadRecordException("value is empty, expected a JPEG frame");
        }
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != SOI) {
            throw new BadRecordException("value is not a JPEG (" + whatItIs(jpeg) + ")");
        }
        var walk = new SegmentWalk(jpeg);
        while (true) {
            int marker = walk.nextMarker();
            if (marker == EOI) {
                return walk.finish();
            }
            if (marker == SOI) {
                throw new BadRecordException("corrupt JPEG: a second start-of-image marker at offset " + (walk.pos - 2));
            }
            if (marker != 0x01 && (marker < 0xD0 || marker > 0xD7)) { // TEM and restart markers stand alone
                walk.segment(marker);
            }
        }
    }

    /** A walk over the markers of one JPEG, remembering its frame header and whether a scan was seen. */
    private static final class SegmentWalk {
        private final byte[] jpeg;
        private int pos = 2;
        private JpegStructure frame;
        private boolean scanned;

        SegmentWalk(byte[] jpeg) {
            this.jpeg = jpeg;
        }

        /** The next marker's code; {@code pos} then points after it. */
        int nextMarker() {
            if (pos >= jpeg.length) {
                throw truncated(jpeg.length, "no end-of-image marker");
            }
            if ((jpeg[pos] & 0xff) != 0xFF) {
                throw new BadRecordException("corrupt JPEG: byte 0x" + hex(jpeg[pos]) + " at offset " + pos + " where a marker should start");
            }
            while (pos < jpeg.length && (jpeg[pos] & 0xff) == 0xFF) {
                pos++; // a marker may be preceded by fill bytes
            }
            if (pos >= jpeg.length) {
                throw truncated(jpeg.length, "no end-of-image marker");
            }
            return jpeg[pos++] & 0xff;
        }

        JpegStructure finish() {
            if (frame == null || !scanned) {
                throw new BadRecordException("JPEG ends before its image data (" + (frame == null ? "no frame header" : "no scan") + ")");
            }
            return frame;
        }

        /** A marker segment: its length checked, then what it says about the frame; {@code pos} moves past it. */
        void segment(int marker) {
            if (pos + 2 > jpeg.length) {
                throw truncated(jpeg.length, "cut inside a marker");
            }
            int length = ((jpeg[pos] & 0xff) << 8) | (jpeg[pos + 1] & 0xff);
            if (length < 2) {
                throw new BadRecordException("corrupt JPEG: marker 0x" + hex(marker) + " at offset " + (pos - 2) + " has length " + length);
            }
            if (pos + length > jpeg.length) {
                throw truncated(jpeg.length, "marker 0x" + hex(marker) + " at offset " + (pos - 2) + " runs past the end");
            }
            pos = read(marker, pos + 2, length - 2, pos + length);
        }

        /** The segment of {@code marker} whose body of {@code length} bytes starts at {@code body}; returns where the walk goes on. */
        private int read(int marker, int body, int length, int next) {
            switch (marker) {
                case 0xC0, 0xC1, 0xC2 -> frameHeader(body, length, marker == 0xC2);
                case 0xC3, 0xC7, 0xCB, 0xCF -> throw unsupported("lossless");
                case 0xC5, 0xC6, 0xCD, 0xCE -> throw unsupported("hierarchical");
                case 0xC9, 0xCA, 0xCC -> throw unsupported("arithmetic-coded");
                case DNL -> throw unsupported("height given after the scan (DNL)");
                case SOS -> {
                    if (frame == null) {
                        throw new BadRecordException("corrupt JPEG: a scan before the frame header");
                    }
                    scanned = true;
                    return endOfScan(jpeg, next);
                }
                default -> {
                    // APPn, COM, DQT, DHT, DRI, ...: nothing that changes what decoding costs
                }
            }
            return next;
        }

        private void frameHeader(int body, int length, boolean progressive) {
            if (frame != null) {
                throw new BadRecordException("JPEG has more than one frame header");
            }
            frame = JpegStructure.frameHeader(jpeg, body, length, progressive);
            long needed = minimumBytes(jpeg, body, frame);
            if (jpeg.length < needed) {
                throw new BadRecordException("JPEG of " + jpeg.length + " bytes cannot hold the " + frame.width() + "x"
                        + frame.height() + " it declares (at least " + needed + " bytes)");
            }
        }
    }

    /** SOF: precision, height, width, component count, then 3 bytes a component. */
    private static JpegStructure frameHeader(byte[] jpeg, int at, int length, boolean progressive) {
        if (length < 6) {
            throw new BadRecordException("corrupt JPEG: frame header of " + length + " bytes");
        }
        int precision = jpeg[at] & 0xff;
        int height = ((jpeg[at + 1] & 0xff) << 8) | (jpeg[at + 2] & 0xff);
        int width = ((jpeg[at + 3] & 0xff) << 8) | (jpeg[at + 4] & 0xff);
        int components = jpeg[at + 5] & 0xff;
        if (precision != 8) {
            throw unsupported(precision + "-bit");
        }
        if (components == 1) {
            throw new BadRecordException("JPEG is greyscale (1 component), expected 3 (YCbCr or RGB)");
        }
        if (components == 4) {
            throw new BadRecordException("JPEG is CMYK or YCCK (4 components), expected 3 (YCbCr or RGB)");
        }
        if (components != 3) {
            throw new BadRecordException("JPEG has " + components + " components, expected 3 (YCbCr or RGB)");
        }
        if (length != 6 + 3 * components) {
            throw new BadRecordException("corrupt JPEG: frame header of " + length + " bytes for " + components + " components");
        }
        if (width == 0 || height == 0) {
            throw new BadRecordException("JPEG declares a size of " + width + "x" + height);
        }
        for (int c = 0; c < components; c++) {
            int sampling = jpeg[at + 6 + 3 * c + 1] & 0xff;
            int h = sampling >> 4;
            int v = sampling & 0x0f;
            if (h < 1 || h > 4 || v < 1 || v > 4) {
                throw new BadRecordException("corrupt JPEG: component " + (c + 1) + " has sampling factors " + h + "x" + v);
            }
        }
        return new JpegStructure(width, height, components, progressive);
    }

    /** The fewest bytes the entropy-coded data of {@code frame} can take (see the class comment). */
    private static long minimumBytes(byte[] jpeg, int sof, JpegStructure frame) {
        int hMax = 1;
        int vMax = 1;
        for (int c = 0; c < frame.components(); c++) {
            int sampling = jpeg[sof + 6 + 3 * c + 1] & 0xff;
            hMax = Math.max(hMax, sampling >> 4);
            vMax = Math.max(vMax, sampling & 0x0f);
        }
        long blocks = 0;
        for (int c = 0; c < frame.components(); c++) {
            int sampling = jpeg[sof + 6 + 3 * c + 1] & 0xff;
            long width = ceilDiv((long) frame.width() * (sampling >> 4), hMax);
            long height = ceilDiv((long) frame.height() * (sampling & 0x0f), vMax);
            blocks += ceilDiv(width, 8) * ceilDiv(height, 8);
        }
        return ceilDiv(blocks * (frame.progressive() ? 1 : 2), 8);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * The offset of the marker that ends the entropy-coded data starting at {@code pos}: inside it, 0xFF is
     * followed by 0x00 (a stuffed byte) or a restart marker; anything else is the next marker.
     */
    private static int endOfScan(byte[] jpeg, int pos) {
        int n = jpeg.length;
        while (pos < n) {
            if ((jpeg[pos] & 0xff) != 0xFF) {
                pos++;
                continue;
            }
            if (pos + 1 >= n) {
                break;
            }
            int following = jpeg[pos + 1] & 0xff;
            if (following == 0x00 || (following >= 0xD0 && following <= 0xD7)) {
                pos += 2;
            } else if (following == 0xFF) {
                pos++; // fill byte before a marker
            } else {
                return pos;
            }
        }
        throw truncated(n, "the image data stops without an end-of-image marker");
    }

    private static BadRecordException truncated(int length, String detail) {
        return new BadRecordException("truncated JPEG (" + length + " bytes): " + detail);
    }

    private static BadRecordException unsupported(String kind) {
        return new BadRecordException("JPEG is " + kind + ", expected an 8-bit baseline or progressive JPEG");
    }

    /** A hint of what a value that is not a JPEG is, from its first bytes. */
    private static String whatItIs(byte[] value) {
        if (value.length >= 8 && (value[0] & 0xff) == 0x89 && value[1] == 'P' && value[2] == 'N' && value[3] == 'G') {
            return "a PNG image";
        }
        if (value.length >= 6 && value[0] == 'G' && value[1] == 'I' && value[2] == 'F') {
            return "a GIF image";
        }
        StringBuilder start = new StringBuilder("it starts with");
        for (int i = 0; i < Math.min(4, value.length); i++) {
            start.append(' ').append(hex(value[i]));
        }
        return start.toString();
    }

    private static String hex(int b) {
        return String.format("%02X", b & 0xff);
    }
}
