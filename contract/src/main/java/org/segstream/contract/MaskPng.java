package org.segstream.contract;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The mask format of the masks topic: an 8-bit palette PNG whose pixel values are class indices,
 * coloured with the VOC palette (the convention of VOC SegmentationClass annotations). Lossless,
 * viewable in any image viewer, readable as class indices by any PNG library.
 */
public final class MaskPng {
    private MaskPng() {
    }

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] PLTE;
    private static final byte[] FILTER_NONE = {0};

    static {
        byte[][] p = VocClasses.palette();
        PLTE = new byte[256 * 3];
        for (int i = 0; i < 256; i++) {
            PLTE[3 * i] = p[0][i];
            PLTE[3 * i + 1] = p[1][i];
            PLTE[3 * i + 2] = p[2][i];
        }
    }

    /**
     * Encodes a class map (one byte a pixel, row-major, width * height bytes). Written directly rather
     * than through ImageIO, whose PNG writer tries every row filter at the highest compression: this is
     * on the segmenter's stream thread for every frame, and a class map (long runs of one value)
     * compresses well with no filter at deflate's fastest level (about 7x faster, 20 % larger).
     */
    public static byte[] encode(ClassMap mask) {
        int width = mask.width();
        int height = mask.height();
        byte[] pixels = mask.classes();
        var png = new ByteArrayOutputStream(pixels.length / 32 + 1024);
        png.writeBytes(SIGNATURE);
        var header = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 3).put((byte) 0).put((byte) 0).put((byte) 0); // 8-bit palette, deflate, no interlace
        chunk(png, "IHDR", header.array(), 13);
        chunk(png, "PLTE", PLTE, PLTE.length);
        var deflater = new Deflater(Deflater.BEST_SPEED);
        var idat = new ByteArrayOutputStream(pixels.length / 32 + 64);
        byte[] buffer = new byte[16384];
        try {
            for (int y = 0; y < height; y++) {
                deflate(deflater, FILTER_NONE, 0, 1, buffer, idat); // each scanline starts with its filter type
                deflate(deflater, pixels, y * width, width, buffer, idat);
            }
            deflater.finish();
            while (!deflater.finished()) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        } finally {
            deflater.end();
        }
        chunk(png, "IDAT", idat.toByteArray(), idat.size());
        chunk(png, "IEND", new byte[0], 0);
        return png.toByteArray();
    }

    private static void deflate(Deflater deflater, byte[] input, int offset, int length, byte[] buffer, ByteArrayOutputStream out) {
        deflater.setInput(input, offset, length);
        while (!deflater.needsInput()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
    }

    /** Length, type, data, CRC-32 of type and data. */
    private static void chunk(ByteArrayOutputStream png, String type, byte[] data, int length) {
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        var crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data, 0, length);
        png.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(length).array());
        png.writeBytes(typeBytes);
        png.write(data, 0, length);
        png.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Decodes a mask PNG back into class indices. */
    public static ClassMap decode(byte[] png) {
        BufferedImage image;
        try {
            image = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(png))); // read() closes it
        } catch (IOException e) {
            throw new BadRecordException("undecodable mask PNG: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new BadRecordException("value is not a PNG image");
        }
        if (!(image.getColorModel() instanceof IndexColorModel) || image.getRaster().getNumBands() != 1
                || image.getRaster().getDataBuffer().getDataType() != java.awt.image.DataBuffer.TYPE_BYTE
                || image.getColorModel().getPixelSize() != 8) {
            throw new BadRecordException("mask PNG is not an 8-bit palette image");
        }
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        return new ClassMap(image.getWidth(), image.getHeight(), data);
    }
}
