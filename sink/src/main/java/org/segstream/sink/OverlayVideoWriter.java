package org.segstream.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.segstream.contract.BgrImage;
import org.segstream.video.VideoEncoder;

/**
 * One overlay video file. It is written under a hidden temporary name beside its final name and
 * renamed when finished, so a final name never holds a partial file.
 */
final class OverlayVideoWriter implements AutoCloseable {
    private final Path finalFile;
    private final Path partFile;
    private final VideoEncoder encoder;
    private final int width;
    private final int height;

    OverlayVideoWriter(Path file, int width, int height, double fps, VideoEncoder.Settings settings) throws IOException {
        Files.createDirectories(file.getParent());
        this.finalFile = file;
        this.partFile = file.resolveSibling("." + file.getFileName() + ".part");
        this.width = width;
        this.height = height;
        this.encoder = VideoEncoder.open(partFile, width, height, fps, settings);
    }

    boolean fits(int w, int h) {
        return w == width && h == height;
    }

    /** Appends a frame shown at {@code timestampMicros} on the source's clock. */
    void write(BgrImage overlay, long timestampMicros) throws IOException {
        encoder.write(overlay, timestampMicros);
    }

    long framesWritten() {
        return encoder.framesWritten();
    }

    Path file() {
        return finalFile;
    }

    /** Stops writing and deletes the partial file. */
    void abandon() throws IOException {
        try {
            encoder.close();
        } finally {
            Files.deleteIfExists(partFile);
        }
    }

    /** Finalises the file and moves it to its final name. */
    @Override
    public void close() throws IOException {
        encoder.close();
        Files.move(partFile, finalFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
