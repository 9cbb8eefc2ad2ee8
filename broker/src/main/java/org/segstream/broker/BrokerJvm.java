package org.segstream.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs on this JVM's class path (where the kafka_2.13 artifacts are), their output appended to
 * one log file: the broker itself, and the tools run before it (formatting the data directory).
 */
final class BrokerJvm {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Path logFile;

    BrokerJvm(Path logFile) {
        this.logFile = logFile;
    }

    Path logFile() {
        return logFile;
    }

    /** Starts {@code mainAndArgs} in a child JVM and returns at once. */
    Process start(List<String> mainAndArgs) throws IOException {
        ProcessBuilder builder = javaCommand(mainAndArgs);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        return builder.start();
    }

    /** Runs {@code mainAndArgs} in a child JVM to its end; throws, with the log's last lines, unless it exits 0 within {@code timeout}. */
    void run(List<String> mainAndArgs, Duration timeout, String what) {
        try {
            Process p = start(mainAndArgs);
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out trying to " + what);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("failed to " + what + " (exit " + p.exitValue() + "):\n" + tail(20));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM to " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }

    private static ProcessBuilder javaCommand(List<String> mainAndArgs) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // A session of its own: a terminal's Ctrl-C meant for the parent must not stop the broker
            // under a pipeline that is still draining (the parent stops it when it is done).
            command.add(SETSID.toString());
        }
        command.addAll(List.of(java,
                "-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command);
    }

    /** The log's last {@code lines} lines, for an error message. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
