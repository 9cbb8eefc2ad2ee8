package org.segstream.sink;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what a {@link RecordingScan} found, and only that: never a path {@code used} accepts, never
 * outside the root, never through a symbolic link (each file's folder must still resolve to where it
 * was found right before the deletion). Tallies what it deleted.
 */
final class SafeDelete {
    private static final Logger log = LoggerFactory.getLogger(SafeDelete.class);

    private final Path base;
    private final Predicate<Path> used;
    /** Bytes of every regular file still under the root: the scan's total less what was deleted. */
    long kept;
    long bytes;
    int files;
    int folders;

    SafeDelete(Path base, Predicate<Path> used, long totalBytes) {
        this.base = base;
        this.used = used;
        this.kept = totalBytes;
    }

    private void deleted(long size) {
        files++;
        bytes += size;
        kept -= size;
    }

    /** Deletes one regular file found by the scan, if it is still that file, still under the root and not in use. */
    boolean delete(RecordingScan.FileEntry file) {
        if (used.test(file.path())) {
            return false;
        }
        try {
            if (!stillUnder(file.path())) {
                log.warn("recordings: not deleting {}: its folder no longer resolves under {}", file.path(), base);
                return false;
            }
            BasicFileAttributes now = Files.readAttributes(file.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!now.isRegularFile()) {
                return false;
            }
            Files.delete(file.path());
            deleted(file.size());
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException e) {
            log.warn("recordings: could not delete {}: {}", file.path(), e.toString());
            return false;
        }
    }

    /** Removes an empty folder found by the scan; false if it holds anything (or is gone, or moved). */
    boolean removeIfEmpty(Path dir) {
        try {
            if (!stillUnder(dir)) {
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
    private boolean stillUnder(Path path) throws IOException {
        Path parent = path.getParent();
        return parent != null && path.normalize().startsWith(base) && !path.equals(base)
                && parent.toRealPath().equals(parent.normalize());
    }
}
