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
 * Everything the sink writes for one session of a stream: overlay video and, optionally, the mask
 * PNGs as they came off the masks topic, in the session's own folder
 * {@code <out>/<stream>/<session>[_<source file>]/} (names by {@link OutputNames}), so no session
 * ever replaces another's files.
 *
 * <p>Overlays carry the source's time: a file session's frames are timed by their pts (one file,
 * {@code overlay-<first seq>.mp4}, and a new one whenever the frame size changes); a live session's
 * by capture time, cut into segments of {@code segmentSeconds} of capture time, each named by the
 * UTC capture time of its first frame. After a file is finalised, {@code .progress.json} records
 * the last sequence number it holds. The sink commits its input offsets no further than the first
 * mask of any open file, so after a crash the open file is rebuilt from its first frame under the
 * same name, and redelivered frames that a finalised file already holds are skipped: every frame
 * ends up in exactly one finalised file.
 *
 * <p>A session whose end record never comes (its ingest was killed) would keep its file open, and
 * the committed offset pinned, for ever. The sink closes such a session after a while without
 * records ({@link #closeIncomplete}): the open file is finalised like any other, so the offset can
 * move on and the rule above still holds, and an {@code INCOMPLETE} file in the session's folder
 * says why it ended. Should the session's masks resume after all, they go on in a new file (named
 * by its first frame) and a proper end removes the marker.
 */
final class StreamOutput implements AutoCloseable {
    private static final String PROGRESS = ".progress.json";
    /** In a session's folder: the session was closed without its end record. */
    static final String INCOMPLETE = "INCOMPLETE";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String session;
    private final boolean writeMasks;
    private final VideoEncoder.Settings settings;
    private final long segmentMillis;
    private final long finalizedSeq;
    private OverlayVideoWriter video;
    private long segmentStartMs;
    private long openSinceOffset = -1;
    private long lastSeq = -1;
    /** The last sequence number handled, written or skipped: where the next gap is counted from. */
    private long lastHandledSeq = -1;
    private long framesWritten;

    /**
     * The output of {@code first}'s session. Throws {@link IllegalArgumentException} when the stream
     * or session id cannot name a folder (empty, too long).
     */
    StreamOutput(Path outDir, FrameIdentity first, boolean writeMasks, VideoEncoder.Settings settings, double segmentSeconds)
            throws IOException {
        this.dir = outDir.resolve(OutputNames.stream(first.stream())).resolve(OutputNames.session(first.session(), first.source()));
        this.session = first.session();
        this.writeMasks = writeMasks;
        this.settings = settings;
        this.segmentMillis = Math.max(1, Math.round(segmentSeconds * 1000));
        this.finalizedSeq = readProgress(dir);
    }

    /** The session's folder. */
    Path dir() {
        return dir;
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
        long last = Math.max(lastHandledSeq, Math.max(lastSeq, finalizedSeq));
        return Math.max(0, seq - last - 1);
    }

    /** The sink is handling frame {@code seq}: should it be skipped, it is not counted again as a gap by the next frame. */
    void handling(long seq) {
        lastHandledSeq = Math.max(lastHandledSeq, seq);
    }

    /** The input offset of the first mask of the open file, or -1 when no file is open. */
    long openSinceOffset() {
        return openSinceOffset;
    }

    boolean hasOpenFile() {
        return video != null;
    }

    void write(FrameIdentity frame, BgrImage overlay, byte[] maskPng, long maskOffset) throws IOException {
        boolean live = frame.sourceKind() == SourceKind.LIVE;
        if (video != null && !video.fits(overlay.width(), overlay.height())) {
            finishFile(); // resolution change: finish this file, start the next at this frame
        }
        if (video != null && live && frame.captureTimeMs() - segmentStartMs >= segmentMillis) {
            finishFile(); // the segment spans its length of capture time: this frame starts the next
        }
        if (video == null) {
            String name = live ? OutputNames.liveSegment(frame.captureTimeMs()) : OutputNames.fileOverlay(frame.seq());
            video = new OverlayVideoWriter(dir.resolve(name), overlay.width(), overlay.height(), frame.fps(), settings);
            segmentStartMs = frame.captureTimeMs();
            openSinceOffset = maskOffset;
        }
        // The source's clock: pts for a file (its overlay plays at its speed), capture time for a live camera
        // (a segment that lost frames to shedding still spans the time it covers).
        video.write(overlay, live ? frame.captureTimeMs() * 1000 : frame.ptsMicros());
        if (writeMasks) {
            Path masks = Files.createDirectories(dir.resolve("masks"));
            Files.write(masks.resolve(OutputNames.mask(frame.seq())), maskPng);
        }
        lastSeq = frame.seq();
        framesWritten++;
    }

    long framesWritten() {
        return framesWritten;
    }

    /** Finalises the open file (if any) and records it in the progress file: the session ended properly. */
    @Override
    public void close() throws IOException {
        finishFile();
        Files.deleteIfExists(dir.resolve(INCOMPLETE));
    }

    /**
     * Finalises the open file (if any) as {@link #close()} does, and leaves an {@code INCOMPLETE} file
     * in the session's folder saying {@code why} the session ended without its end record.
     */
    void closeIncomplete(String why) throws IOException {
        finishFile();
        if (lastSeq < 0) {
            return; // nothing written in this run, so nothing to mark
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + INCOMPLETE + ".tmp");
        Files.writeString(tmp, "This session ended without its end record: " + why + ".\n"
                + "Its overlay holds the frames up to seq " + lastSeq + "; later frames of the session, if any arrive, go to a new file.\n");
        Files.move(tmp, dir.resolve(INCOMPLETE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

    private static long readProgress(Path dir) throws IOException {
        Path file = dir.resolve(PROGRESS);
        if (!Files.exists(file)) {
            return -1;
        }
        return JSON.readTree(file.toFile()).path("finalized_seq").asLong(-1);
    }
}
