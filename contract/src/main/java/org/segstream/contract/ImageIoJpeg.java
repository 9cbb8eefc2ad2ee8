package org.segstream.contract;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG through the JDK's ImageIO (libjpeg 6b): the encoder of frames, the decoder where FFmpeg's is
 * not available, and the one whose warnings name what is wrong with a corrupt frame.
 */
public final class ImageIoJpeg {
    private ImageIoJpeg() {
    }

    /** Encodes packed BGR pixels; quality 1..100. */
    public static byte[] encode(BgrImage image, int quality) {
        BufferedImage buffered = JpegCodec.wrap(image);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (var bytes = new ByteArrayOutputStream(image.pixels().length / 8 + 1024);
             var out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(Math.max(1, Math.min(100, quality)) / 100f);
            writer.setOutput(out);
            writer.write(null, new IIOImage(buffered, null, null), param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
    }

    /**
     * Decodes a JPEG whose structure the caller has checked ({@code structure} is {@link JpegStructure#check}
     * of {@code jpeg}). Whatever the decoder warns about (corrupt data, a premature end) refuses the frame:
     * ImageIO would otherwise fill the rest in with grey.
     */
    public static BgrImage decode(byte[] jpeg, JpegStructure structure) {
        // A memory-cached stream: ImageIO's default caches every stream in a temporary file.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new BadRecordException("value is not a JPEG image");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, true);
                // Collected, not thrown from the listener: it is called back from native code.
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                if (reader.getWidth(0) != structure.width() || reader.getHeight(0) != structure.height()) {
                    throw new BadRecordException("undecodable JPEG: the decoder reads " + reader.getWidth(0) + "x"
                            + reader.getHeight(0) + " where the frame header says " + structure.width() + "x" + structure.height());
                }
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new BadRecordException("undecodable JPEG: " + warnings.get(0));
                }
                return toBgr(image);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadRecordException bad) {
                throw bad;
            }
            throw new BadRecordException("undecodable JPEG: " + e.getMessage(), e);
        }
    }

    private static BgrImage toBgr(BufferedImage image) {
        BufferedImage bgr = image;
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            var g = bgr.createGraphics();
            g.drawImage(image, 0, 0, null);
            g.dispose();
        }
        byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        return new BgrImage(bgr.getWidth(), bgr.getHeight(), data);
    }
}
