package org.segstream.sink;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What lies under the sink's output folder, as {@link RecordingRetention} sees it: one walk that follows
 * no link and goes no deeper than {@code <root>/<stream>/<session>/masks/}, and finds the size of every
 * regular file and, per session folder, its overlays, masks, progress files and open {@code .part} files.
 */
final class RecordingScan {
    private static final Logger log = LoggerFactory.getLogger(RecordingScan.class);
    static final String PROGRESS = ".progress.json";
    static final String MASKS = "masks";

    private final Map<Path, Session> sessions;
    private final long totalBytes;

    private RecordingScan(Map<Path, Session> sessions, long totalBytes) {
        this.sessions = sessions;
        this.totalBytes = totalBytes;
    }

    /** Walks {@code base} (a real path). */
    static RecordingScan of(Path base) throws IOException {
        Walk walk = new Walk(base);
        Files.walkFileTree(base, EnumSet.noneOf(FileVisitOption.class), 4, walk);
        return new RecordingScan(walk.sessions, walk.totalBytes);
    }

    Collection<Session> sessions() {
        return sessions.values();
    }

    /** The size of every regular file under the root, whatever it is. */
    long totalBytes() {
        return totalBytes;
    }

    /** Every session's overlays, each with its masks, oldest first (by when the sink finished them). */
    List<Overlay> overlaysOldestFirst() {
        List<Overlay> overlays = new ArrayList<>();
        for (Session session : sessions.values()) {
            overlays.addAll(session.overlaysWithTheirMasks());
        }
        overlays.sort(Comparator.comparingLong(Overlay::modified).thenComparing(o -> o.file().path().toString()));
        return overlays;
    }

    record FileEntry(Path path, long size, long modified) {
    }

    record Overlay(Session session, FileEntry file, List<FileEntry> masks) {
        long modified() {
            return file.modified;
        }
    }

    /** What the scan found in one session folder. */
    static final class Session {
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
    private static final class Walk extends SimpleFileVisitor<Path> {
        final Path base;
        final Map<Path, Session> sessions = new LinkedHashMap<>();
        long totalBytes;

        Walk(Path base) {
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
