package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pruning the sink's recordings by age and size, on folders laid out as the sink writes them. */
class RecordingRetentionTest {
    /** 2027-01-15 08:00:00 UTC. */
    static final long NOW = 1_799_913_600_000L;
    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;

    @Test
    void overlaysOlderThanTheMaximumAgeGoOldestFirstWithTheirMasks(@TempDir Path out) throws Exception {
        Path s1 = out.resolve("door/20270115-050000.000-aaaa0001");
        file(s1.resolve("masks/000000.png"), 10, NOW - 4 * HOUR);
        file(s1.resolve("masks/000001.png"), 10, NOW - 3 * HOUR - 1);
        file(s1.resolve("20270115T050000.000Z.mp4"), 1000, NOW - 3 * HOUR);     // holds masks 0 and 1
        file(s1.resolve("masks/000002.png"), 10, NOW - 2 * HOUR - 5);
        file(s1.resolve("20270115T060000.000Z.mp4"), 1000, NOW - 2 * HOUR);     // holds mask 2
        file(s1.resolve("masks/000003.png"), 10, NOW - 20 * MINUTE);
        file(s1.resolve("20270115T074000.000Z.mp4"), 1000, NOW - 10 * MINUTE);  // holds mask 3: young, kept
        file(s1.resolve("masks/000004.png"), 10, NOW - MINUTE);                  // the open segment's
        file(s1.resolve(".20270115T075000.000Z.mp4.part"), 500, NOW - 2 * HOUR); // being written: never
        file(s1.resolve(".progress.json"), 40, NOW - 10 * MINUTE);

        var pruned = new RecordingRetention(out, Duration.ofHours(1), 0, p -> false).prune(NOW);

        assertEquals(new RecordingRetention.Pruned(5, 2030, 0, 1000 + 20 + 500 + 40), pruned);
        assertEquals(Set.of("door/20270115-050000.000-aaaa0001/.20270115T075000.000Z.mp4.part",
                "door/20270115-050000.000-aaaa0001/.progress.json",
                "door/20270115-050000.000-aaaa0001/20270115T074000.000Z.mp4",
                "door/20270115-050000.000-aaaa0001/masks/000003.png",
                "door/20270115-050000.000-aaaa0001/masks/000004.png"), files(out));
        assertEquals(new RecordingRetention.Pruned(0, 0, 0, 1560), new RecordingRetention(out, Duration.ofHours(1), 0, p -> false).prune(NOW),
                "nothing more to do");
    }

    @Test
    void overTheMaximumSizeTheOldestOverlaysGoAcrossStreamsUntilUnder(@TempDir Path out) throws Exception {
        file(out.resolve("summary.json"), 100, NOW - 10 * HOUR);                   // counted, never deleted
        file(out.resolve("door/s1/20270115T010000.000Z.mp4"), 1000, NOW - 7 * HOUR);
        file(out.resolve("yard/s2/20270115T020000.000Z.mp4"), 1000, NOW - 6 * HOUR);
        file(out.resolve("door/s1/20270115T030000.000Z.mp4"), 1000, NOW - 5 * HOUR);
        file(out.resolve("yard/s2/20270115T040000.000Z.mp4"), 1000, NOW - 4 * HOUR);
        file(out.resolve("door/s1/.progress.json"), 50, NOW - 5 * HOUR);
        file(out.resolve("yard/s2/.yard.part"), 50, NOW);

        var pruned = new RecordingRetention(out, null, 2300, p -> false).prune(NOW);

        assertEquals(2, pruned.files(), "4200 bytes: two overlays of 1000 bring it to 2200");
        assertEquals(2000, pruned.bytes());
        assertEquals(2200, pruned.bytesKept());
        assertEquals(Set.of("summary.json", "door/s1/20270115T030000.000Z.mp4", "door/s1/.progress.json",
                "yard/s2/20270115T040000.000Z.mp4", "yard/s2/.yard.part"), files(out));
    }

    @Test
    void aFinishedSessionGoesWithItsLastOverlayAndAnEmptyStreamFolderAfterIt(@TempDir Path out) throws Exception {
        Path clip = out.resolve("dashcam/20270110-010000.000-bbbb0002_REC_0001.MP4");
        file(clip.resolve("masks/000000.png"), 10, NOW - 49 * HOUR);
        file(clip.resolve("masks/000001.png"), 10, NOW - 49 * HOUR);
        file(clip.resolve("overlay-000000.mp4"), 3000, NOW - 48 * HOUR);
        file(clip.resolve("masks/000002.png"), 10, NOW - 48 * HOUR + 5); // after its last overlay: an abandoned file's
        file(clip.resolve(".progress.json"), 40, NOW - 48 * HOUR);
        Path other = out.resolve("door/20270110-010000.000-cccc0003");
        file(other.resolve("20270110T010000.000Z.mp4"), 1000, NOW - 47 * HOUR);
        Path kept = out.resolve("door/20270115-070000.000-dddd0004");
        file(kept.resolve("20270115T070000.000Z.mp4"), 1000, NOW - HOUR);
        setTimes(out, NOW - 47 * HOUR);

        var pruned = new RecordingRetention(out, Duration.ofHours(24), 0, p -> false, Duration.ZERO).prune(NOW);

        assertEquals(Set.of("door/20270115-070000.000-dddd0004/20270115T070000.000Z.mp4"), files(out));
        assertEquals(6, pruned.files());
        assertEquals(3000 + 40 + 1000 + 30, pruned.bytes());
        assertEquals(4, pruned.folders(), "the clip's masks, its folder, the stream folder dashcam, door's old session");
        assertFalse(Files.exists(out.resolve("dashcam")));
        assertTrue(Files.isDirectory(out.resolve("door")), "a stream folder with a session left stays");
    }

    @Test
    void aSessionFolderStaysWhileItIsInUseOrWasJustWrittenTo(@TempDir Path out) throws Exception {
        Path running = out.resolve("door/20270114-000000.000-eeee0005");
        file(running.resolve("20270114T000000.000Z.mp4"), 1000, NOW - 30 * HOUR);
        file(running.resolve(".progress.json"), 40, NOW - 30 * HOUR);
        Path justMade = out.resolve("yard/20270115-075959.000-ffff0006");
        file(justMade.resolve("20270114T000000.000Z.mp4"), 1000, NOW - 30 * HOUR);
        setTimes(out, NOW - 30 * HOUR);
        Files.setLastModifiedTime(justMade, FileTime.fromMillis(NOW - 10_000)); // its folder changed 10 s ago

        var pruned = new RecordingRetention(out, Duration.ofHours(24), 0, running::equals).prune(NOW);

        assertEquals(2, pruned.files(), "both old overlays go");
        assertEquals(0, pruned.folders());
        assertEquals(Set.of("door/20270114-000000.000-eeee0005/.progress.json"), files(out),
                "the running session keeps its progress file (the sink skips what it already wrote)");
        assertTrue(Files.isDirectory(justMade), "settling: a new file may be about to open in it");
        assertTrue(Files.isDirectory(running));
    }

    @Test
    void neverAnythingOutsideTheRootNorAFileItDoesNotKnowNorOneInUse(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path outside = dir.resolve("elsewhere");
        Path victim = file(outside.resolve("precious.mp4"), 5000, NOW - 100 * HOUR);
        Path session = out.resolve("door/s1");
        Path open = file(session.resolve("20270101T000000.000Z.mp4"), 1000, NOW - 100 * HOUR);
        file(session.resolve("notes.txt"), 10, NOW - 100 * HOUR);
        file(session.resolve(".hidden.mp4"), 10, NOW - 100 * HOUR);
        file(session.resolve("clips/old.mp4"), 10, NOW - 100 * HOUR);    // not the sink's layout
        file(out.resolve(".trash/x/y/old.mp4"), 10, NOW - 100 * HOUR);
        Files.createSymbolicLink(session.resolve("link.mp4"), victim);
        Files.createSymbolicLink(out.resolve("evil"), outside);             // a stream folder that is a link
        Files.createSymbolicLink(session.resolve("masks"), outside);       // a masks folder that is a link
        setTimes(out, NOW - 100 * HOUR);

        var pruned = new RecordingRetention(out, Duration.ofHours(1), 1, open::equals, Duration.ZERO).prune(NOW);

        assertEquals(0, pruned.files());
        assertEquals(1000 + 10 + 10 + 10 + 10, pruned.bytesKept(), "links are neither followed nor counted");
        assertTrue(Files.exists(victim));
        assertTrue(Files.exists(open));
        assertTrue(Files.isSymbolicLink(session.resolve("link.mp4")));
        assertEquals(Set.of("door/s1/20270101T000000.000Z.mp4", "door/s1/notes.txt", "door/s1/.hidden.mp4",
                "door/s1/clips/old.mp4", ".trash/x/y/old.mp4"), files(out));
    }

    @Test
    void aRootThatIsALinkIsFollowedOnceAndAMissingRootIsNothingToDo(@TempDir Path dir) throws Exception {
        Path real = dir.resolve("disk/out");
        file(real.resolve("door/s1/20270101T000000.000Z.mp4"), 1000, NOW - 100 * HOUR);
        file(real.resolve("door/s2/20270101T000000.000Z.mp4"), 1000, NOW - 100 * HOUR);
        setTimes(real, NOW - 100 * HOUR);
        Path link = Files.createSymbolicLink(dir.resolve("out"), real);
        Path open = link.resolve("door/s2/20270101T000000.000Z.mp4"); // the caller's own name for it: through the link

        var pruned = new RecordingRetention(link, Duration.ofHours(1), 0, open::equals, Duration.ZERO).prune(NOW);

        assertEquals(1, pruned.files());
        assertEquals(Set.of("door/s2/20270101T000000.000Z.mp4"), files(real), "in use, as the caller names it");
        assertEquals(new RecordingRetention.Pruned(0, 0, 0, 0),
                new RecordingRetention(dir.resolve("missing"), Duration.ofHours(1), 0, p -> false).prune(NOW));
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new RecordingRetention(Path.of("out"), Duration.ZERO, 0, p -> false));
        assertThrows(IllegalArgumentException.class, () -> new RecordingRetention(Path.of("out"), null, -1, p -> false));
    }

    /** A file of {@code size} bytes last modified at {@code modifiedMillis}, with its folders. */
    private static Path file(Path path, int size, long modifiedMillis) throws IOException {
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[size]);
        Files.setLastModifiedTime(path, FileTime.fromMillis(modifiedMillis));
        return path;
    }

    /** Sets every folder under {@code root} (not through links) to {@code millis}: creating files touched them. */
    private static void setTimes(Path root, long millis) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setLastModifiedTime(p, FileTime.fromMillis(millis));
                }
            }
        }
    }

    /** Every regular file under {@code root} (not through links), relative, with / between names. */
    private static Set<String> files(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            List<String> names = all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).toList();
            return new TreeSet<>(names);
        }
    }
}
