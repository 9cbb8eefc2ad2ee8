package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class SegstreamCliIT {

    @Test
    void runExitsNonZeroOnlyWhenNoSourceCouldBeRead(@TempDir Path dir) throws Exception {
        Path junk = Files.write(dir.resolve("junk.mkv"), new byte[4096]);
        var out = new ByteArrayOutputStream();
        int code = SegstreamCli.run(new String[] {"run", "--out", dir.resolve("out").toString(),
                "--model", Path.of("..", "models", "fcn8s-slim.json").toString(), dir.resolve("gone.mp4").toString(), junk.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), Map.of());

        assertEquals(1, code);
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("no such file"), table);
        assertTrue(table.contains("source 'junk'"), table);
    }

    @Test
    void usageErrorsNameTheProblem() {
        var out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals("Unknown option: '--fast'",
                assertThrows(SegstreamCli.UsageException.class, () -> SegstreamCli.run(new String[] {"run", "--fast", "x.mp4"}, out, Map.of())).getMessage());
        assertEquals("--batch-size is 'four', expected a whole number",
                assertThrows(SegstreamCli.UsageException.class, () -> SegstreamCli.run(new String[] {"run", "--batch-size", "four"}, out, Map.of())).getMessage());
        assertEquals("run needs at least one SOURCE",
                assertThrows(SegstreamCli.UsageException.class, () -> SegstreamCli.run(new String[] {"run"}, out, Map.of())).getMessage());
        assertEquals("unknown command 'segment'",
                assertThrows(SegstreamCli.UsageException.class, () -> SegstreamCli.run(new String[] {"segment"}, out, Map.of())).getMessage());
    }

    @Test
    void aStreamNamedTwiceOrAFileAsOutputIsRefusedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        var out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals("stream 'dup' is named twice (a.mp4 and a.mp4); give each source its own name: NAME=SOURCE",
                assertThrows(SegstreamCli.UsageException.class,
                        () -> SegstreamCli.run(new String[] {"run", "--out", dir.toString(), "dup=a.mp4", "dup=a.mp4"}, out, Map.of()))
                        .getMessage());
        assertEquals("stream 'cam' is named twice (rtsp://admin:***@10.0.0.5/s1 and b.mp4); give each source its own name: NAME=SOURCE",
                assertThrows(SegstreamCli.UsageException.class,
                        () -> SegstreamCli.run(new String[] {"ingest", "cam=rtsp://admin:hunter2@10.0.0.5/s1", "cam=b.mp4"}, out, Map.of()))
                        .getMessage(), "the password stays out of the message");
        Path file = Files.writeString(dir.resolve("out.txt"), "x");
        assertEquals("--out " + file + " is a file; name a folder (it is created if missing)",
                assertThrows(SegstreamCli.UsageException.class,
                        () -> SegstreamCli.run(new String[] {"run", "--out", file.toString(), "a.mp4"}, out, Map.of())).getMessage());
        assertEquals("stream id '..' must not be only dots", assertThrows(SegstreamCli.UsageException.class,
                () -> SegstreamCli.run(new String[] {"ingest", "..=video.mp4"}, out, Map.of())).getMessage());
    }
}
