package org.segstream.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.video.VideoEncoder;

/**
 * Everything the sink writes for one stream session: overlay video (a new file whenever the frame
 * size changes) and, optionally, the mask PNGs as they came off the masks topic.
 */
final class StreamOutput implements AutoCloseable {
    private final Path dir;
    private final String session;
    private final boolean writeMasks;
    private final VideoEncoder.Settings settings;
    private OverlayVideoWriter video;
    private long lastSeq = -1;
    private long framesWritten;

    StreamOutput(Path outDir, String stream, String session, boolean writeMasks, VideoEncoder.Settings settings) {
        this.dir = outDir.resolve(stream);
        this.session = session;
        this.writeMasks = writeMasks;
        this.settings = settings;
    }

    String session() {
        return session;
    }

    /** True if this frame was already written (a redelivery after a restart). */
    boolean alreadyWritten(long seq) {
        return seq <= lastSeq;
    }

    void write(FrameIdentity frame, BgrImage overlay, byte[] maskPng) throws IOException {
        if (video != null && !video.fits(overlay.width(), overlay.height())) {
            video.close(); // resolution change: finish this file, start the next at this frame
            video = null;
        }
        if (video == null) {
            video = new OverlayVideoWriter(dir, frame.seq(), overlay.width(), overlay.height(), frame.fps(), settings);
        }
        video.write(overlay);
        if (writeMasks) {
            Path masks = Files.createDirectories(dir.resolve("masks"));
            Files.write(masks.resolve(String.format("%06d.png", frame.seq())), maskPng);
        }
        lastSeq = frame.seq();
        framesWritten++;
    }

    long framesWritten() {
        return framesWritten;
    }

    @Override
    public void close() throws IOException {
        if (video != null) {
            video.close();
            video = null;
        }
    }
}
