package org.segstream.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tells a failing output folder from a record the encoder refuses. After writing a record's overlay
 * fails, the sink writes a small probe file into the output folder: if that fails too, the disk is at
 * fault (full, read-only, gone) and the sink must stop rather than skip, and lose, every record that
 * follows; if it succeeds, the record was at fault and is skipped. A bad record cannot make the probe
 * fail, so no record can stop the sink this way.
 */
final class OutputDisk {
    private static final String PROBE = ".segstream-write-probe";
    private static final int PROBE_BYTES = 64 * 1024;

    private final Path dir;

    OutputDisk(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /**
     * After a write failed with {@code e}: if the output folder cannot be written either, the disk is at
     * fault and this throws {@link EnvironmentFailure}, which stops the sink; else the record was at fault.
     */
    void requireWritable(Exception e) {
        if (!writable()) {
            throw new EnvironmentFailure("cannot write to the output folder " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** True if a file can be written to the output folder and synced to disk right now. */
    boolean writable() {
        Path probe = dir.resolve(PROBE);
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer zeros = ByteBuffer.allocate(PROBE_BYTES);
                while (zeros.hasRemaining()) {
                    channel.write(zeros);
                }
                channel.force(true); // a full disk may only say so when the data has to reach it
            }
            Files.delete(probe);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
