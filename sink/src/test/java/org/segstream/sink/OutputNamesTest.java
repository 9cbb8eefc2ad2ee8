package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutputNamesTest {

    @Test
    void plainIdsStayReadable() {
        assertEquals("cam1", OutputNames.stream("cam1"));
        assertEquals("front-door_2.hd", OutputNames.stream("front-door_2.hd"));
        assertEquals("^front^door", OutputNames.stream("FrontDoor"));
        assertEquals("^front%20door%2F1", OutputNames.stream("Front door/1"));
        assertEquals("caf%C3%A9", OutputNames.stream("café"));
    }

    @Test
    void noIdBecomesAPathOrAHiddenFile() {
        Path out = Path.of("/srv/out");
        for (String hostile : List.of("..", ".", "../../../../escaped", "/etc/passwd", "x/../ok1", "a\u0000b", ".hidden", "C:\\x",
                "line\nbreak", "~root", "%2E%2E")) {
            String name = OutputNames.stream(hostile);
            assertTrue(name.matches("[a-z0-9A-F_.%^-]+") && !name.startsWith("."), hostile + " -> " + name);
            Path resolved = out.resolve(name).normalize();
            assertEquals(out, resolved.getParent(), hostile + " stays one folder below the output dir");
        }
    }

    @Test
    void theEncodingIsInjectiveEvenOnCaseInsensitiveDisks() {
        List<String> ids = List.of("cam", "Cam", "CAM", "c%61m", "c^am", "^cam", "x/../ok1", "ok1", "a b", "a%20b", "a_b", "a-b",
                "a.b", ".ab", "%2Eab", "..", "%2E.", "é", "%C3%A9");
        Set<String> folded = new HashSet<>();
        for (String id : ids) {
            assertTrue(folded.add(OutputNames.stream(id).toLowerCase(Locale.ROOT)), "collision for " + id);
        }
    }

    @Test
    void emptyOrOverlongIdsAreRefusedWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OutputNames.stream("")).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OutputNames.stream("x".repeat(201))).getMessage()
                .contains("too long"));
        assertEquals(200, OutputNames.stream("x".repeat(200)).length());
    }

    @Test
    void aSessionFolderNamesItsSourceFile() {
        assertEquals("20261130-120000-3f2a9c1e", OutputNames.session("20261130-120000-3f2a9c1e", null));
        assertEquals("20261130-120000-3f2a9c1e_REC_0001.MP4", OutputNames.session("20261130-120000-3f2a9c1e", "REC_0001.MP4"));
        assertEquals("s1_a%20b%2F..%2Fc", OutputNames.session("s1", "a b/../c"));
        assertNotEquals(OutputNames.session("a_b", null), OutputNames.session("a", "b"), "the session id's own '_' is escaped");
        String longSource = OutputNames.session("s1", "é".repeat(100));
        assertTrue(longSource.length() <= 3 + 80 && longSource.endsWith("%A9"), "a long source name is cut between escapes: " + longSource);
    }

    @Test
    void aNulOrA300CharacterIdNeverReachesTheFileSystem() {
        assertEquals("a%00b", OutputNames.stream("a\u0000b"), "NUL is escaped, not passed to the file system");
        assertEquals("s%00_x%00y", OutputNames.session("s\u0000", "x\u0000y"));
        var tooLong = assertThrows(IllegalArgumentException.class, () -> OutputNames.stream("x".repeat(300)));
        assertTrue(tooLong.getMessage().contains("too long"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutputNames.stream("\u0000".repeat(67)), "67 NULs encode to 201 characters");
        assertThrows(IllegalArgumentException.class, () -> OutputNames.session("", null));
    }

    @Test
    void aSessionFolderNameStaysUnderTheFileSystemsLimitWhateverTheIdAndSource() {
        for (int idLength : List.of(1, 100, 169, 170, 199, 200)) {
            String name = OutputNames.session("s".repeat(idLength), "clip-".repeat(40) + ".mp4");
            assertTrue(name.length() <= OutputNames.MAX_SESSION_NAME, idLength + " -> " + name.length());
            assertTrue(name.startsWith("s".repeat(idLength)), "the id is whole: " + name);
        }
        assertEquals("s".repeat(200) + "_" + "c".repeat(49), OutputNames.session("s".repeat(200), "c".repeat(100)));
    }

    @Test
    void liveSegmentsAreNamedByTheirUtcCaptureTime() {
        assertEquals("20261130T120000.040Z.mp4", OutputNames.liveSegment(StreamOutputTest.NOON + 40));
    }
}
