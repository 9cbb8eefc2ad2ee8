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
        for (String option : new String[] {"--no-live-rows", "--overload-seconds", "--live-capacity", "--soak", "--soak-cameras", "--soak-fps"}) {
            assertTrue(help.contains(option), option + " missing: " + help);
        }
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

    @Test
    void aBadValueOfABenchOptionIsRefusedNamingTheOptionAndItsRange() {
        assertRefused("--soak is '0.1', expected a number from 0.5 to 1440", "bench", "--soak", "0.1");
        assertRefused("--soak-cameras is '0', expected a whole number from 1 to 16", "bench", "--soak", "10", "--soak-cameras", "0");
        assertRefused("--soak-fps is '100', expected a number from 0.5 to 60", "bench", "--soak", "10", "--soak-fps", "100");
        assertRefused("--overload-seconds is '1', expected a number from 5 to 600", "bench", "--overload-seconds", "1");
        assertRefused("--live-capacity is '0.05', expected a number from 0.1 to 10000", "bench", "--live-capacity", "0.05");
        assertRefused("--main-seconds is '0', expected a number from 1 to 600", "bench", "--main-seconds", "0");
    }

    private static void assertRefused(String message, String... args) {
        var e = assertThrows(SegstreamCli.UsageException.class, () -> SegstreamCli.run(args, print(new ByteArrayOutputStream()), Map.of()));
        assertEquals(message, e.getMessage());
        assertEquals("segstream bench", e.command());
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
