package org.segstream.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the sink's recordings within an age and a total size, the way an NVR does: the oldest
 * finished overlay files go first.
 *
 * <p>It works on the layout the sink writes ({@code <root>/<stream>/<session>/}, see
 * {@link StreamOutput}): an <b>overlay</b> is a finished {@code .mp4} in a session folder (a live
 * segment or a file session's overlay); the mask PNGs in the session's {@code masks/} folder go with
 * the overlay that was finished after them (a mask is written while its overlay is open, so by
 * modification time each mask belongs to the first overlay finished at or after it; masks newer than
 * a session's last finished overlay belong to the file still open and stay). Overlays are taken
 * oldest first by modification time (when the sink finished them), so a dashcam recording of last
 * year that was processed today counts as today's.
 *
 * <p>{@link #prune} deletes overlays (with their masks) while one is older than the maximum age, or
 * while everything under the root (every regular file, whatever it is) is over the maximum size.
 * When a session's last overlay goes and the session is over (no open {@code .part} file, not in use,
 * nothing written for {@code settle}), its remaining masks, its {@code .progress.json} and the folder
 * go too, then a stream folder left empty.
 *
 * <p>It never deletes: a hidden file (the sink's {@code .NAME.part} files being written, its
 * {@code .progress.json} of a session still running); anything {@code inUse} accepts (the caller's
 * open files and session folders; a session folder in use keeps its folder and progress file, though
 * its finished overlays may go); a file it does not recognise; anything outside the root. It follows
 * no symbolic link (the root itself is resolved once), does not descend into hidden folders, and
 * checks right before each deletion that the file's folder still resolves to where it was found under
 * the root. One caller at a time (a single scheduled thread).
 *
 * <p>This class is the policy; {@link RecordingScan} finds the files and {@link SafeDelete} deletes them.
 */
public final class RecordingRetention {
    private static final Logger log = LoggerFactory.getLogger(RecordingRetention.class);
    /** A session folder is only removed when nothing in it changed for this long (a session about to start a file). */
    static final Duration DEFAULT_SETTLE = Duration.ofMinutes(5);

    /**
     * What one {@link #prune} did.
     *
     * @param files     files deleted (overlays, masks, progress files)
     * @param bytes     their size
     * @param folders   session and stream folders removed
     * @param bytesKept the size of every regular file left under the root
     */
    public record Pruned(int files, long bytes, int folders, long bytesKept) {
    }

    private final Path root;
    private final Duration maxAge;
    private final long maxBytes;
    private final Predicate<Path> inUse;
    private final Duration settle;

    /**
     * @param root     the sink's output folder
     * @param maxAge   overlays finished longer ago than this go; null: no age limit
     * @param maxBytes everything under the root is kept under this many bytes by deleting the oldest
     *                 overlays; 0: no size limit
     * @param inUse    true for a path the sink still writes or serves (an open file, a running session's folder);
     *                 it is asked about {@code root.resolve(...)} paths, in the caller's own terms (as
     *                 {@code root} was given, not resolved), e.g. {@code StreamOutput.dir()} of an open session
     */
    public RecordingRetention(Path root, Duration maxAge, long maxBytes, Predicate<Path> inUse) {
        this(root, maxAge, maxBytes, inUse, DEFAULT_SETTLE);
    }

    RecordingRetention(Path root, Duration maxAge, long maxBytes, Predicate<Path> inUse, Duration settle) {
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("the maximum age of recordings must be positive, not " + maxAge);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("the maximum size of recordings must be >= 0 bytes (0: no limit), not " + maxBytes);
        }
        this.root = root;
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
        this.inUse = inUse;
        this.settle = settle;
    }

    /** Deletes what the limits ask for at {@code nowMillis} (epoch milliseconds) and says what it deleted. */
    public Pruned prune(long nowMillis) throws IOException {
        if (!Files.isDirectory(root)) {
            return new Pruned(0, 0, 0, 0);
        }
        Path base = root.toRealPath();
        Predicate<Path> used = path -> inUse.test(root.resolve(base.relativize(path)));
        RecordingScan scan = RecordingScan.of(base);
        var deleter = new SafeDelete(base, used, scan.totalBytes());
        long oldest = maxAge == null ? Long.MIN_VALUE : nowMillis - maxAge.toMillis();
        pruneOverlays(scan, deleter, used, oldest);
        removeFinishedSessions(scan, deleter, used, oldest, nowMillis);
        if (deleter.files > 0) {
            log.info("recordings: deleted {} files ({} MB) and {} folders; {} MB kept under {}", deleter.files,
                    deleter.bytes / 1_000_000, deleter.folders, deleter.kept / 1_000_000, root);
        }
        return new Pruned(deleter.files, deleter.bytes, deleter.folders, deleter.kept);
    }

    /** Oldest first, deletes overlays (with their masks) older than {@code oldest} or while the total is over the size limit. */
    private void pruneOverlays(RecordingScan scan, SafeDelete deleter, Predicate<Path> used, long oldest) {
        for (RecordingScan.Overlay overlay : scan.overlaysOldestFirst()) {
            boolean tooOld = overlay.modified() < oldest;
            boolean tooMuch = maxBytes > 0 && deleter.kept > maxBytes;
            if (!tooOld && !tooMuch) {
                break; // the rest are newer, and the size is within its limit
            }
            if (used.test(overlay.file().path())) {
                continue;
            }
            if (deleter.delete(overlay.file())) {
                overlay.session().overlaysLeft--;
                overlay.session().pruned = true;
                for (RecordingScan.FileEntry mask : overlay.masks()) {
                    deleter.delete(mask);
                }
            }
        }
    }

    /** Removes the sessions left without an overlay that are over and settled, then stream folders left empty. */
    private void removeFinishedSessions(RecordingScan scan, SafeDelete deleter, Predicate<Path> used, long oldest, long nowMillis) {
        Set<Path> emptied = new LinkedHashSet<>();
        for (RecordingScan.Session session : scan.sessions()) {
            boolean expired = session.newest < oldest;
            if (session.overlaysLeft == 0 && (session.pruned || expired) && !session.hasPart
                    && session.newest < nowMillis - settle.toMillis() && !used.test(session.dir)
                    && removeSession(session, deleter)) {
                emptied.add(session.dir.getParent());
            }
        }
        for (Path stream : emptied) {
            if (!used.test(stream) && deleter.removeIfEmpty(stream)) {
                deleter.folders++; // a stream folder whose last session went: rmdir fails if a new session appeared meanwhile
            }
        }
    }

    /** Deletes what is left of a finished session and its folder; true if the folder is gone. */
    private static boolean removeSession(RecordingScan.Session session, SafeDelete deleter) {
        for (RecordingScan.FileEntry mask : session.masks) {
            deleter.delete(mask);
        }
        for (RecordingScan.FileEntry progress : session.progress) {
            deleter.delete(progress);
        }
        if (deleter.removeIfEmpty(session.dir.resolve(RecordingScan.MASKS))) {
            deleter.folders++;
        }
        if (deleter.removeIfEmpty(session.dir)) {
            deleter.folders++;
            return true;
        }
        return false;
    }
}
