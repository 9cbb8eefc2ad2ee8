package org.segstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.launcher.SegstreamCli;

/** {@code segstream bench} joins the command line wherever this module is on the classpath, and behaves like every command. */
class BenchCommandTest {

    @Test
    void theTopLevelHelpListsBench() throws Exception {
        var printed = new ByteArrayOutputStream();
        assertEquals(0, SegstreamCli.run(new String[] {"--help"}, print(printed), Map.of()));
        String help = printed.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("  bench "), help);
        assertTrue(help.contains("  run "), help);
    }

    @Test
    void benchAnswersHelpWithItsOptionsAndStartsNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        var printed = new ByteArrayOutputStream();
        assertEquals(0, SegstreamCli.run(new String[] {"bench", "--out", out.toString(), "--help"}, print(printed), Map.of()));
        String help = printed.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("Usage: segstream bench"), help);
        assertTrue(help.contains("--no-scaling"), help);
        assertTrue(help.contains("--batch-size"), "run's options too: " + help);
        assertFalse(Files.exists(out), "--help created " + out);
    }

    @Test
    void benchRefusesSourcesNamingThem() {
        var e = assertThrows(SegstreamCli.UsageException.class,
                () -> SegstreamCli.run(new String[] {"bench", "a.mp4"}, print(new ByteArrayOutputStream()), Map.of()));
        assertEquals("bench takes no sources (it renders its own clip): [a.mp4]", e.getMessage());
        assertEquals("segstream bench", e.command());
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
