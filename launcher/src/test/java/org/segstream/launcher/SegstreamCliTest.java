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
                List.of("topics", "--replication-factor"), List.of("verify", "--streams"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandAnswersHelpWithItsOptionsAndStartsNothing(List<String> command, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        // Options that would start something (an output folder, a source) next to --help: nothing may happen.
        String[] args = switch (command.get(0)) {
            case "run", "demo", "synth" -> new String[] {command.get(0), "--out", out.toString(), "--help"};
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
        assertRefused("--batch-size is 'four', expected a whole number", "run", "--batch-size", "four", "a.mp4");
        assertRefused("--batch-size is '0', expected a whole number from 1 to 256", "run", "--batch-size", "0", "a.mp4");
        assertRefused("--metrics-port is '70000', expected a whole number from -1 to 65535", "run", "--metrics-port", "70000", "a.mp4");
        assertRefused("--fps is 'fast', expected a number", "synth", "--out", "x", "--fps", "fast");
        assertRefused("--fps is '500', expected a number from 1 to 240", "synth", "--out", "x", "--fps", "500");
        assertRefused("--size is '640', expected WxH from 1x1 to 7680x4320", "synth", "--out", "x", "--size", "640");
        assertRefused("--wait is 'soon', expected a whole number", "verify", "--wait", "soon");
        assertRefused("--partitions is '0', expected a whole number from 1 to 10000", "topics", "--partitions", "0");
        assertRefused("Invalid value for option '--device': device 'gpu' is not one of auto, cpu, cuda", "run", "--device", "gpu", "a.mp4");
        assertRefused("Unmatched argument at index 1: 'now'", "sink", "now");
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
