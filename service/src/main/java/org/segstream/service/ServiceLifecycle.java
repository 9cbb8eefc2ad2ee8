package org.segstream.service;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every segstream process stops: {@code run}, {@code demo}, {@code ingest}, {@code segmenter} and
 * {@code sink}. The first SIGINT/SIGTERM runs the {@link #onStop} actions (stop the sources) and wakes
 * {@link #awaitStop}; the caller then drains and closes what it runs (try-with-resources) and exits
 * with 128 + the signal's number, as the shell expects of a process ended by a signal. A second signal
 * exits at once. A standalone service also stops on its own when its health fails, with
 * {@link #UNHEALTHY_EXIT}, so that a supervisor (docker's restart policy, systemd) restarts it rather
 * than leaving a process that does nothing.
 *
 * <p>The JVM's own reaction to a signal would start its shutdown at once and its hooks (the embedded
 * broker's reaper among them) would stop things under the draining pipeline; signal handlers instead
 * let the main thread finish normally. (A terminal's Ctrl-C does not reach the embedded broker: it
 * runs in a session of its own.)
 */
public final class ServiceLifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceLifecycle.class);
    /** The exit code of a service that stopped working on its own. */
    public static final int UNHEALTHY_EXIT = 1;
    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final String stopping;
    private final Duration deadline;
    private final List<Runnable> onStop = new CopyOnWriteArrayList<>();
    private final Map<String, sun.misc.SignalHandler> previous = new LinkedHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String signal;

    /** Not listening to any signal: stopped by {@link #request} only (tests, benchmark runs). */
    public ServiceLifecycle() {
        this("stopping", null);
    }

    private ServiceLifecycle(String stopping, Duration deadline) {
        this.stopping = stopping;
        this.deadline = deadline;
    }

    /**
     * Handles SIGINT and SIGTERM until {@link #close}. {@code stopping} says in the log what the first
     * signal does ("stopping the sources; finishing the overlays and the summary"); with a {@code deadline},
     * the process exits anyway that long after the first signal (null: it waits for the drain).
     */
    public static ServiceLifecycle install(String stopping, Duration deadline) {
        var lifecycle = new ServiceLifecycle(stopping, deadline);
        for (String name : SIGNALS) {
            try {
                lifecycle.previous.put(name, sun.misc.Signal.handle(new sun.misc.Signal(name), s -> lifecycle.received(name)));
            } catch (IllegalArgumentException unavailable) {
                log.debug("cannot handle SIG{} ({}); it stops the JVM as usual", name, unavailable.getMessage());
            }
        }
        return lifecycle;
    }

    /** Stops as the signal {@code name} ("TERM", "INT") would, without one (tests, the benchmark's live rows). */
    public void request(String name) {
        received(name);
    }

    private void received(String name) {
        if (signal != null) {
            log.warn("SIG{} again: quitting at once", name);
            System.exit(exitCode(name));
        }
        signal = name;
        log.warn("SIG{}: {} (send it again to quit at once)", name, stopping);
        if (deadline != null) {
            Thread watchdog = new Thread(() -> exitAfterDeadline(name), "segstream-stop-deadline");
            watchdog.setDaemon(true);
            watchdog.start();
        }
        onStop.forEach(Runnable::run);
        stopped.countDown();
    }

    private void exitAfterDeadline(String name) {
        try {
            Thread.sleep(deadline.toMillis());
            log.warn("still stopping {} s after SIG{}: quitting", deadline.toSeconds(), name);
            System.exit(exitCode(name));
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code action} on the first signal (at once if it already came). */
    public void onStop(Runnable action) {
        onStop.add(action);
        if (signal != null) {
            action.run();
        }
    }

    /** The signal that stopped the process ("INT", "TERM"), or null. */
    public String signal() {
        return signal;
    }

    /** 128 + the signal's number once stopped by one (130 for SIGINT, 143 for SIGTERM), else {@code otherwise}. */
    public int exitCode(int otherwise) {
        String name = signal;
        return name == null ? otherwise : exitCode(name);
    }

    private static int exitCode(String signalName) {
        return 128 + new sun.misc.Signal(signalName).getNumber();
    }

    /**
     * Blocks until a signal (returns 128 + its number) or until {@code health} reports a problem (returns
     * {@link #UNHEALTHY_EXIT}); {@code service} names the service in the log.
     */
    public int awaitStop(String service, MetricsServer.HealthCheck health) throws InterruptedException {
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            String problem = health.problem();
            if (problem != null) {
                log.error("{} is no longer working ({}); exiting with {} so that a supervisor restarts it", service, problem,
                        UNHEALTHY_EXIT);
                return UNHEALTHY_EXIT;
            }
        }
        return exitCode(0);
    }

    /** Gives the signals back to the JVM's own handling. */
    @Override
    public void close() {
        previous.forEach((name, handler) -> sun.misc.Signal.handle(new sun.misc.Signal(name), handler));
    }
}
