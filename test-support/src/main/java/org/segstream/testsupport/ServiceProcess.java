package org.segstream.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A segstream service in its own JVM (as in production), so tests can stop it with SIGTERM or kill it with SIGKILL:
 * any main class on the test's classpath ({@code SegmenterMain}, {@code SinkMain}, the launcher's CLI).
 */
public final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** {@code mainClass} with no arguments: a service configured by its environment. */
    public static ServiceProcess start(Class<?> mainClass, Map<String, String> env, Path log) throws IOException {
        return start(mainClass.getName(), List.of(), env, log);
    }

    /**
     * {@code java MAIN ARGS...} on this JVM's classpath, with {@code env} added to this JVM's environment, output
     * appended to {@code log}.
     */
    public static ServiceProcess start(String mainClass, List<String> args, Map<String, String> env, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-Djava.awt.headless=true", mainClass));
        command.addAll(args);
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The classpath through the environment, not -cp: with a command line over about 4 KB (a module's test
        // classpath is 7 to 8 KB), ONNX Runtime 1.29's native start-up crashes the JVM (SIGSEGV, no error file).
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().putAll(env);
        return new ServiceProcess(builder.start(), log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the service did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no commit, no clean close. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /**
     * Waits until {@code condition} holds, evaluated on the calling thread (it may poll a consumer) for at most
     * {@code timeout}; fails at once if the process ends first. Either failure shows the end of the process's log.
     */
    public void awaitWhileAlive(String what, Duration timeout, Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(timeout).pollInSameThread().pollInterval(Duration.ofMillis(200))
                    .failFast("the process ended", () -> !process.isAlive())
                    .until(condition);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError("waiting for " + what + ": " + e.getMessage() + "; process "
                    + (process.isAlive() ? "alive" : "ended") + ", its log:\n" + logTail(), e);
        }
    }

    /** The last 20,000 characters of the log (a service's whole log can be megabytes). */
    public String logTail() {
        try {
            String all = log();
            return all.length() > 20_000 ? all.substring(all.length() - 20_000) : all;
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, as an operator would stop it; returns whether it exited within {@code timeout} (otherwise it is killed). */
    public boolean stop(Duration timeout) throws InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
