package org.segstream.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program to its end within a time limit and keeps its standard output and error apart. */
final class ExternalCommand {
    /** What the program printed, and how it ended. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        List<String> stdoutLines() {
            return stdout.lines().filter(line -> !line.isBlank()).toList();
        }

        /** For assertion messages: the command and everything it printed. */
        String describe() {
            return String.join(" ", command) + "\nexit code " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private ExternalCommand() {
    }

    /** Runs {@code command} in {@code workDir}; fails with the output so far if it is still running after {@code timeout}. */
    static Result run(Path workDir, Duration timeout, List<String> command) throws IOException, InterruptedException {
        // Output goes to files rather than pipes: a program that prints more than a pipe holds never blocks.
        Path out = Files.createTempFile(workDir, "stdout-", ".txt");
        Path err = Files.createTempFile(workDir, "stderr-", ".txt");
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        var result = new Result(command, ended ? process.exitValue() : -1,
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        if (!ended) {
            throw new AssertionError("still running after " + timeout + ", killed: " + result.describe());
        }
        return result;
    }
}
