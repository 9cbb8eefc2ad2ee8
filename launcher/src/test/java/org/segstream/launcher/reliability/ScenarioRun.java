package org.segstream.launcher.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.testsupport.ServiceProcess;
import org.segstream.verify.DeliveryReport;
import org.segstream.verify.DeliveryVerifier;

/**
 * The bookkeeping of one scenario: its pipeline, its verifier, its peak-RSS window, the clock, and
 * the waits (each bounded: a hung pipeline fails the scenario, it never hangs the suite).
 */
final class ScenarioRun implements AutoCloseable {
    final PipelineUnderTest pipeline;
    final DeliveryVerifier verifier;
    private final PeakRss rss;
    private final PeakRss.Window window;
    private final long startedNanos = System.nanoTime();
    private final List<String> problems = new ArrayList<>();
    private List<String> hung = List.of();
    private boolean stopped;

    ScenarioRun(EmbeddedKafkaBroker broker, String name, java.nio.file.Path work, int partitions, PeakRss rss) throws Exception {
        this.pipeline = PipelineUnderTest.create(broker, name, work, partitions);
        this.verifier = DeliveryVerifier.of(broker.bootstrapServers(), pipeline.topics());
        this.rss = rss;
        this.window = rss.open();
    }

    /** Masks of the matching streams read so far. */
    long masks(Predicate<String> streams) {
        verifier.catchUp();
        return verifier.report(streams).masksOut();
    }

    /** Frames of the matching streams on the frames topic so far. */
    long framesIn(Predicate<String> streams) {
        verifier.catchUp();
        return verifier.report(streams).framesIn();
    }

    /** Waits until {@code condition} holds; false (and a recorded problem) after {@code timeout} or when {@code mustLive} dies. */
    boolean await(String what, Duration timeout, BooleanSupplier condition, ServiceProcess... mustLive) throws InterruptedException {
        var died = new AtomicBoolean();
        try {
            // In the test's thread: conditions may read through the verifier's consumer.
            Awaitility.await(what).atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                    .until(() -> condition.getAsBoolean() || anyDied(mustLive, died));
        } catch (ConditionTimeoutException timedOut) {
            problems.add("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            return false;
        }
        if (died.get()) {
            problems.add("a service died while waiting for " + what);
            return false;
        }
        return true;
    }

    /** Whether one of {@code processes} has ended; if so, {@code died} is set (ends the wait, with a problem). */
    private static boolean anyDied(ServiceProcess[] processes, AtomicBoolean died) {
        for (ServiceProcess process : processes) {
            if (!process.alive()) {
                died.set(true);
                return true;
            }
        }
        return false;
    }

    /** Waits for a service that should end by itself (ingest of files); records a problem if it does not, or fails. */
    void awaitExit(String what, ServiceProcess process, Duration timeout) throws InterruptedException {
        if (!await(what + " to finish", timeout, () -> !process.alive())) {
            pipeline.stop(what, process);
            return;
        }
        int code = process.waitForExit(Duration.ofSeconds(1));
        if (code != 0) {
            problems.add(what + " exited with code " + code);
        }
    }

    /** Reads the topics until the matching streams settle; records a problem if they do not within {@code timeout}. */
    void awaitSettled(Predicate<String> streams, Duration timeout) throws InterruptedException {
        if (!verifier.awaitSettled(streams, timeout)) {
            problems.add("not settled within " + timeout.toSeconds() + " s: a session's end record never reached the masks topic"
                    + " or a poison record has no dead letter");
        }
    }

    /** From {@code faultEndMs} to the first mask of the matching streams appended after it; -1 if none was. */
    long recoveryMs(long faultEndMs, Predicate<String> streams) {
        verifier.catchUp();
        var first = verifier.firstMaskAfter(faultEndMs, streams);
        return first.isPresent() ? first.getAsLong() - faultEndMs : -1;
    }

    void problem(String problem) {
        problems.add(problem);
    }

    void sampleRss() {
        rss.sampleNow();
    }

    /** Stops every service (SIGTERM), noting the ones that hang; call before {@link #result}. */
    void stopServices() throws InterruptedException {
        if (!stopped) {
            rss.sampleNow();
            hung = pipeline.stopAll();
            stopped = true;
        }
    }

    /** The row of the matching streams: the verifier's accounting plus every problem met on the way. */
    ScenarioResult result(String scenario, Predicate<String> streams, Map<String, Long> shed, List<Long> recoveryMs) {
        verifier.catchUp();
        DeliveryReport report = verifier.report(streams);
        List<String> failures = new ArrayList<>(problems);
        failures.addAll(hung);
        return new ScenarioResult(scenario, report, recoveryMs, window.peaksMiB(), failures,
                (System.nanoTime() - startedNanos) / 1_000_000_000L);
    }

    String logTails() {
        return pipeline.logTails();
    }

    @Override
    public void close() throws InterruptedException {
        stopServices();
        rss.close(window);
        verifier.close();
    }
}
