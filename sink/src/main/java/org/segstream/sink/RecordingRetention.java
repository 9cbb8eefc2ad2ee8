package org.segstream.sink;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 */
public final class RecordingRetention {
    private static final Logger log = LoggerFactory.getLogger(RecordingRetention.class);
    /** A session folder is only removed when nothing in it changed for this long (a session about to start a file). */
    static final Duration DEFAULT_SETTLE = Duration.ofMinutes(5);
    private static final String PROGRESS = ".progress.json";
    private static final String MASKS = "masks";

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
        Scan scan = new Scan(base);
        Files.walkFileTree(base, EnumSet.noneOf(java.nio.file.FileVisitOption.class), 4, scan);

        List<Overlay> overlays = new ArrayList<>();
        for (Session session : scan.sessions.values()) {
            overlays.addAll(session.overlaysWithTheirMasks());
        }
        overlays.sort(Comparator.comparingLong(Overlay::modified).thenComparing(o -> o.file.path.toString()));

        Tally tally = new Tally(scan.totalBytes);
        long oldest = maxAge == null ? Long.MIN_VALUE : nowMillis - maxAge.toMillis();
        for (Overlay overlay : overlays) {
            boolean tooOld = overlay.modified() < oldest;
            boolean tooMuch = maxBytes > 0 && tally.kept > maxBytes;
            if (!tooOld && !tooMuch) {
                break; // the rest are newer, and the size is within its limit
            }
            if (used.test(overlay.file.path)) {
                continue;
            }
            if (delete(base, overlay.file, used, tally)) {
                overlay.session.overlaysLeft--;
                overlay.session.pruned = true;
                for (FileEntry mask : overlay.masks) {
                    delete(base, mask, used, tally);
                }
            }
        }

        java.util.Set<Path> emptied = new java.util.LinkedHashSet<>();
        for (Session session : scan.sessions.values()) {
            boolean expired = session.newest < oldest;
            if (session.overlaysLeft == 0 && (session.pruned || expired) && !session.hasPart
                    && session.newest < nowMillis - settle.toMillis() && !used.test(session.dir)
                    && removeSession(base, session, used, tally)) {
                emptied.add(session.dir.getParent());
            }
        }
        for (Path stream : emptied) {
            if (!used.test(stream) && removeIfEmpty(base, stream)) {
                tally.folders++; // a stream folder whose last session went: rmdir fails if a new session appeared meanwhile
            }
        }
        if (tally.files > 0) {
            log.info("recordings: deleted {} files ({} MB) and {} folders; {} MB kept under {}", tally.files,
                    tally.bytes / 1_000_000, tally.folders, tally.kept / 1_000_000, root);
        }
        return new Pruned(tally.files, tally.bytes, tally.folders, tally.kept);
    }

    /** Deletes what is left of a finished session and its folder; true if the folder is gone. */
    private static boolean removeSession(Path base, Session session, Predicate<Path> used, Tally tally) {
        for (FileEntry mask : session.masks) {
            delete(base, mask, used, tally);
        }
        for (FileEntry progress : session.progress) {
            delete(base, progress, used, tally);
        }
        if (removeIfEmpty(base, session.dir.resolve(MASKS))) {
            tally.folders++;
        }
        if (removeIfEmpty(base, session.dir)) {
            tally.folders++;
            return true;
        }
        return false;
    }

    /** Deletes one regular file found by the scan, if it is still that file and still under the root. */
    private static boolean delete(Path base, FileEntry file, Predicate<Path> used, Tally tally) {
        if (used.test(file.path)) {
            return false;
        }
        try {
            if (!stillUnder(base, file.path)) {
                log.warn("recordings: not deleting {}: its folder no longer resolves under {}", file.path, base);
                return false;
            }
            BasicFileAttributes now = Files.readAttributes(file.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!now.isRegularFile()) {
                return false;
            }
            Files.delete(file.path);
            tally.deleted(file.size);
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException e) {
            log.warn("recordings: could not delete {}: {}", file.path, e.toString());
            return false;
        }
    }

    /** Removes an empty folder found by the scan; false if it holds anything (or is gone, or moved). */
    private static boolean removeIfEmpty(Path base, Path dir) {
        try {
            if (!stillUnder(base, dir)) {
                return false;
            }
            BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isDirectory()) {
                return false;
            }
            Files.delete(dir); // only succeeds on an empty folder: a file created meanwhile keeps it
            return true;
        } catch (NoSuchFileException | DirectoryNotEmptyException kept) {
            return false;
        } catch (IOException e) {
            log.warn("recordings: could not remove the folder {}: {}", dir, e.toString());
            return false;
        }
    }

    /** True while {@code path}'s folder resolves, through no symbolic link, to the same folder under {@code base}. */
    private static boolean stillUnder(Path base, Path path) throws IOException {
        Path parent = path.getParent();
        return parent != null && path.normalize().startsWith(base) && !path.equals(base)
                && parent.toRealPath().equals(parent.normalize());
    }

    private static final class Tally {
        long kept;
        long bytes;
        int files;
        int folders;

        Tally(long kept) {
            this.kept = kept;
        }

        void deleted(long size) {
            files++;
            bytes += size;
            kept -= size;
        }
    }

    private record FileEntry(Path path, long size, long modified) {
    }

    private record Overlay(Session session, FileEntry file, List<FileEntry> masks) {
        long modified() {
            return file.modified;
        }
    }

    /** What the scan found in one session folder. */
    private static final class Session {
        final Path dir;
        final List<FileEntry> overlays = new ArrayList<>();
        final List<FileEntry> masks = new ArrayList<>();
        final List<FileEntry> progress = new ArrayList<>();
        boolean hasPart;
        long newest = Long.MIN_VALUE;
        int overlaysLeft;
        boolean pruned;

        Session(Path dir) {
            this.dir = dir;
        }

        void saw(long modified) {
            newest = Math.max(newest, modified);
        }

        /** Each overlay with the masks finished at or before it and after the overlay before it. */
        List<Overlay> overlaysWithTheirMasks() {
            overlays.sort(Comparator.comparingLong(FileEntry::modified).thenComparing(f -> f.path.toString()));
            masks.sort(Comparator.comparingLong(FileEntry::modified).thenComparing(f -> f.path.toString()));
            overlaysLeft = overlays.size();
            List<Overlay> result = new ArrayList<>();
            int m = 0;
            for (FileEntry overlay : overlays) {
                List<FileEntry> own = new ArrayList<>();
                while (m < masks.size() && masks.get(m).modified <= overlay.modified) {
                    own.add(masks.get(m++));
                }
                result.add(new Overlay(this, overlay, own));
            }
            return result;
        }
    }

    /**
     * One walk of the root, following no link: the size of every regular file, and per session folder
     * ({@code <root>/<stream>/<session>}) its overlays, masks, progress files and open {@code .part} files.
     */
    private static final class Scan extends SimpleFileVisitor<Path> {
        final Path base;
        final Map<Path, Session> sessions = new LinkedHashMap<>();
        long totalBytes;

        Scan(Path base) {
            this.base = base;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            int depth = base.relativize(dir).getNameCount();
            if (dir.equals(base)) {
                return FileVisitResult.CONTINUE;
            }
            if (hidden(dir)) {
                countOnly(dir);
                return FileVisitResult.SKIP_SUBTREE;
            }
            if (depth == 2) {
                Session session = new Session(dir);
                session.saw(attrs.lastModifiedTime().toMillis()); // a folder just made for a file about to open is not old
                sessions.put(dir, session);
            } else if (depth == 3 && !dir.getFileName().toString().equals(MASKS)) {
                countOnly(dir);
                return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (!attrs.isRegularFile()) {
                return FileVisitResult.CONTINUE; // a symbolic link, a socket: neither counted nor touched
            }
            totalBytes += attrs.size();
            int depth = base.relativize(file).getNameCount();
            String name = file.getFileName().toString();
            String lower = name.toLowerCase(Locale.ROOT);
            long modified = attrs.lastModifiedTime().toMillis();
            var entry = new FileEntry(file, attrs.size(), modified);
            if (depth == 3) {
                Session session = sessions.get(file.getParent());
                session.saw(modified);
                if (name.startsWith(".") && lower.endsWith(".part")) {
                    session.hasPart = true;
                } else if (name.equals(PROGRESS) || name.equals(PROGRESS + ".tmp")) {
                    session.progress.add(entry);
                } else if (!name.startsWith(".") && lower.endsWith(".mp4")) {
                    session.overlays.add(entry);
                }
            } else if (depth == 4) {
                Session session = sessions.get(file.getParent().getParent());
                session.saw(modified);
                if (!name.startsWith(".") && lower.endsWith(".png")) {
                    session.masks.add(entry);
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            log.warn("recordings: cannot read {}: {}", file, e.toString());
            return FileVisitResult.CONTINUE;
        }

        /** A folder not ours to prune: its files still count toward the size. */
        private void countOnly(Path dir) {
            try {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()) {
                            totalBytes += attrs.size();
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                log.warn("recordings: cannot read {}: {}", dir, e.toString());
            }
        }

        private static boolean hidden(Path path) {
            return path.getFileName().toString().startsWith(".");
        }
    }
}
