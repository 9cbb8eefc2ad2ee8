package org.segstream.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.segstream.contract.BgrImage;
import org.segstream.contract.FrameIdentity;
import org.segstream.contract.SourceKind;
import org.segstream.video.VideoEncoder;

/**
 * Everything the sink writes for one stream session: overlay video and, optionally, the mask PNGs
 * as they came off the masks topic.
 *
 * <p>Overlay files: one per session for a file source, segments of a fixed number of frames for a
 * live one, and a new file whenever the frame size changes; each named by its first sequence number.
 * After a file is finalised, {@code .progress.json} records the last sequence number it holds. The
 * sink commits its input offsets no further than the first mask of any open file, so after a crash
 * the open file is rebuilt from its first frame under the same name, and redelivered frames that a
 * finalised file already holds are skipped: every frame ends up in exactly one finalised file.
 */
final class StreamOutput implements AutoCloseable {
    private static final String PROGRESS = ".progress.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String session;
    private final boolean writeMasks;
    private final VideoEncoder.Settings settings;
    private final double segmentSeconds;
    private final long finalizedSeq;
    private OverlayVideoWriter video;
    private long openSinceOffset = -1;
    private long lastSeq = -1;
    private long framesWritten;
    private long lastWriteNanos;
    private double fps;

    StreamOutput(Path outDir, String stream, String session, boolean writeMasks, VideoEncoder.Settings settings,
                 double segmentSeconds) throws IOException {
        this.dir = outDir.resolve(stream);
        this.session = session;
        this.writeMasks = writeMasks;
        this.settings = settings;
        this.segmentSeconds = segmentSeconds;
        this.finalizedSeq = readProgress(dir, session);
    }

    String session() {
        return session;
    }

    /** True if this frame is already in a file (a redelivery after a restart or a duplicate). */
    boolean alreadyWritten(long seq) {
        return seq <= Math.max(lastSeq, finalizedSeq);
    }

    /** How many sequence numbers are missing between the last frame handled and {@code seq}. */
    long gapBefore(long seq) {
        long last = Math.max(lastSeq, finalizedSeq);
        return Math.max(0, seq - last - 1);
    }

    /** The input offset of the first mask of the open file, or -1 when no file is open. */
    long openSinceOffset() {
        return openSinceOffset;
    }

    void write(FrameIdentity frame, BgrImage overlay, byte[] maskPng, long maskOffset) throws IOException {
        if (video != null && !video.fits(overlay.width(), overlay.height())) {
            finishFile(); // resolution change: finish this file, start the next at this frame
        }
        if (video == null) {
            video = new OverlayVideoWriter(dir, frame.seq(), overlay.width(), overlay.height(), frame.fps(), settings);
            openSinceOffset = maskOffset;
        }
        video.write(overlay);
        if (writeMasks) {
            Path masks = Files.createDirectories(dir.resolve("masks"));
            Files.write(masks.resolve(String.format("%06d.png", frame.seq())), maskPng);
        }
        lastSeq = frame.seq();
        framesWritten++;
        long now = System.nanoTime();
        if (lastWriteNanos != 0 && now > lastWriteNanos) {
            double instant = 1e9 / (now - lastWriteNanos);
            fps = fps == 0 ? instant : 0.9 * fps + 0.1 * instant; // smoothed
        }
        lastWriteNanos = now;
        if (frame.sourceKind() == SourceKind.LIVE && video.framesWritten() >= Math.max(1, Math.round(segmentSeconds * frame.fps()))) {
            finishFile();
        }
    }

    /** Frames written per second lately (smoothed). */
    double fps() {
        return fps;
    }

    long framesWritten() {
        return framesWritten;
    }

    /** Finalises the open file (if any) and records it in the progress file. */
    @Override
    public void close() throws IOException {
        finishFile();
    }

    /** Drops the open file without finalising it: another sink instance now owns this stream. */
    void abandon() throws IOException {
        if (video != null) {
            video.abandon();
            video = null;
            openSinceOffset = -1;
        }
    }

    private void finishFile() throws IOException {
        if (video == null) {
            return;
        }
        video.close();
        video = null;
        openSinceOffset = -1;
        Path tmp = dir.resolve(PROGRESS + ".tmp");
        JSON.writeValue(tmp.toFile(), Map.of("session", session, "finalized_seq", lastSeq));
        Files.move(tmp, dir.resolve(PROGRESS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static long readProgress(Path dir, String session) throws IOException {
        Path file = dir.resolve(PROGRESS);
        if (!Files.exists(file)) {
            return -1;
        }
        var progress = JSON.readTree(file.toFile());
        return session.equals(progress.path("session").asText()) ? progress.path("finalized_seq").asLong(-1) : -1;
    }
}
