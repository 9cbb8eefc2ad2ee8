package org.segstream.contract;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The mask format of the masks topic: an 8-bit palette PNG whose pixel values are class indices,
 * coloured with the VOC palette (the convention of VOC SegmentationClass annotations). Lossless,
 * viewable in any image viewer, readable as class indices by any PNG library.
 */
public final class MaskPng {
    private MaskPng() {
    }

    private static final IndexColorModel VOC_COLOURS;

    static {
        byte[][] p = VocClasses.palette();
        VOC_COLOURS = new IndexColorModel(8, 256, p[0], p[1], p[2]);
    }

    /** Encodes a class map (one byte a pixel, row-major, width * height bytes). */
    public static byte[] encode(ClassMap mask) {
        var image = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_INDEXED, VOC_COLOURS);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(mask.classes(), 0, target, 0, target.length);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        // Memory-cached streams: ImageIO's defaults go through a temporary file for every image.
        try (var bytes = new ByteArrayOutputStream(mask.classes().length / 16 + 256);
             var out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(image);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        } finally {
            writer.dispose();
        }
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
