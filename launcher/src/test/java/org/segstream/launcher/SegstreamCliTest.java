package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.segstream.segmenter.model.ModelDescriptor;

/** The command line itself, in-process: help and version start nothing; bad values are refused naming the option. */
class SegstreamCliTest {
    private static String savedHome;

    @BeforeAll
    static void repositoryRoot() {
        savedHome = System.getProperty("segstream.home");
        System.setProperty("segstream.home", ".."); // tests run in launcher/; models/ is beside it
    }

    @AfterAll
    static void restoreHome() {
        if (savedHome == null) {
            System.clearProperty("segstream.home");
        } else {
            System.setProperty("segstream.home", savedHome);
        }
    }

    /** Each command with an option of its own that its help must list. */
    static List<List<String>> commands() {
        return List.of(List.of("demo", "--annotate"), List.of("run", "--batch-size"), List.of("synth", "--seconds"),
                List.of("ingest", "--config"), List.of("segmenter", "KAFKA_BOOTSTRAP_SERVERS"), List.of("sink", "SEGSTREAM_OUT_DIR"),
                List.of("topics", "--replication-factor"), List.of("verify", "--streams"), List.of("bench", "--no-scaling"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandAnswersHelpWithItsOptionsAndStartsNothing(List<String> command, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        // Options that would start something (an output folder, a source) next to --help: nothing may happen.
        String[] args = switch (command.get(0)) {
            case "run", "demo", "synth", "bench" -> new String[] {command.get(0), "--out", out.toString(), "--help"};
            case "ingest" -> new String[] {command.get(0), "cam=" + dir.resolve("cam.mp4"), "--help"};
            default -> new String[] {command.get(0), "--help"};
        };
        // No KAFKA_BOOTSTRAP_SERVERS: a service that started would fail rather than exit 0.
        var printed = new ByteArrayOutputStream();
        assertEquals(0, SegstreamCli.run(args, print(printed), Map.of()));
        String help = printed.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("Usage: segstream " + command.get(0)), help);
        assertTrue(help.contains(command.get(1)), help);
        assertTrue(help.contains("--help"), help);
        assertFalse(Files.exists(out), "--help created " + out);
    }

    @Test
    void topLevelHelpListsEveryCommand() throws Exception {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}}) {
            var printed = new ByteArrayOutputStream();
            assertEquals(0, SegstreamCli.run(args, print(printed), Map.of()));
            String help = printed.toString(StandardCharsets.UTF_8);
            for (List<String> command : commands()) {
                assertTrue(help.contains("  " + command.get(0) + " "), help);
            }
        }
        var printed = new ByteArrayOutputStream();
        assertEquals(0, SegstreamCli.run(new String[] {"help", "run"}, print(printed), Map.of()));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("--live-port"), printed.toString(StandardCharsets.UTF_8));
        assertEquals(2, SegstreamCli.run(new String[0], print(new ByteArrayOutputStream()), Map.of()), "no command: usage, status 2");
    }

    @Test
    void versionNamesSegstreamAndTheBundledModel() throws Exception {
        var model = ModelDescriptor.read(Path.of("..", "models", "fcn8s-slim.json"));
        for (String[] args : new String[][] {{"--version"}, {"-V"}, {"run", "--version"}}) {
            var printed = new ByteArrayOutputStream();
            assertEquals(0, SegstreamCli.run(args, print(printed), Map.of()));
            String version = printed.toString(StandardCharsets.UTF_8);
            assertTrue(version.matches("(?s)segstream \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R.*"), version);
            assertTrue(version.contains("model " + model.name() + " " + model.version()), version);
        }
    }

    @Test
    void aBadValueIsRefusedNamingTheOptionAndTheValue() {
        assertRefused("--batch-size takes a whole number, not 'four'", "run", "--batch-size", "four", "a.mp4");
        assertRefused("--metrics-port 70000 is outside -1..65535", "run", "--metrics-port", "70000", "a.mp4");
        assertRefused("--fps takes a number, not 'fast'", "synth", "--out", "x", "--fps", "fast");
        assertRefused("--fps 500 is outside 1.0..240.0", "synth", "--out", "x", "--fps", "500");
        assertRefused("--size takes WxH between 1x1 and 7680x4320, not '640'", "synth", "--out", "x", "--size", "640");
        assertRefused("--wait takes a whole number, not 'soon'", "verify", "--wait", "soon");
        assertRefused("--partitions 0 is outside 1..10000", "topics", "--partitions", "0");
        assertRefused("Invalid value for option '--device': device 'gpu' is not one of auto, cpu, cuda", "run", "--device", "gpu", "a.mp4");
        assertRefused("Unmatched argument at index 1: 'now'", "sink", "now");
        assertRefused("bench takes no sources (it renders its own clip): [a.mp4]", "bench", "a.mp4");
        assertRefused("--soak 0.1 is outside 0.5..1440.0", "bench", "--soak", "0.1");
        assertRefused("--soak-cameras 0 is outside 1..16", "bench", "--soak", "10", "--soak-cameras", "0");
        assertRefused("--overload-seconds 1 is outside 5.0..600.0", "bench", "--overload-seconds", "1");
    }

    @Test
    void aUsageErrorNamesTheCommandWhoseHelpExplainsIt() {
        var out = print(new ByteArrayOutputStream());
        assertEquals("segstream run", assertThrows(SegstreamCli.UsageException.class,
                () -> SegstreamCli.run(new String[] {"run"}, out, Map.of())).command());
        assertEquals("segstream synth", assertThrows(SegstreamCli.UsageException.class,
                () -> SegstreamCli.run(new String[] {"synth", "--fps", "x"}, out, Map.of())).command());
        assertEquals("segstream", assertThrows(SegstreamCli.UsageException.class,
                () -> SegstreamCli.run(new String[] {"--fast"}, out, Map.of())).command());
    }

    private static void assertRefused(String message, String... args) {
        var e = assertThrows(SegstreamCli.UsageException.class, () -> SegstreamCli.run(args, print(new ByteArrayOutputStream()), Map.of()));
        assertEquals(message, e.getMessage());
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
