package org.segstream.launcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl-C / SIGTERM during a run. The JVM's default reaction would start its shutdown at once, and
 * the broker's reaper hook would stop the broker under the draining pipeline; instead the first
 * signal stops the ingest jobs and lets the run finish normally. A second signal exits at once.
 * (A terminal's Ctrl-C does not reach the embedded broker: it runs in a session of its own.)
 */
final class StopSignal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StopSignal.class);
    private static final List<String> SIGNALS = List.of("INT", "TERM");
    private final List<Runnable> onStop = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, sun.misc.SignalHandler> previous = new LinkedHashMap<>();
    private volatile String signal;

    /** Not listening to any signal (runs inside tests). */
    StopSignal() {
    }

    static StopSignal install() {
        var stop = new StopSignal();
        for (String name : SIGNALS) {
            try {
                stop.previous.put(name, sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.received(name)));
            } catch (IllegalArgumentException unavailable) {
                log.debug("cannot handle SIG{} ({}); it stops the JVM as usual", name, unavailable.getMessage());
            }
        }
        return stop;
    }

    /** Stops the run as a signal would, without one (tests). */
    void request(String name) {
        received(name);
    }

    private void received(String name) {
        if (signal != null) {
            log.warn("SIG{} again: quitting without finishing the overlays", name);
            System.exit(128 + new sun.misc.Signal(name).getNumber());
        }
        signal = name;
        log.warn("SIG{}: stopping the sources; finishing the overlays and the summary (send it again to quit at once)", name);
        onStop.forEach(Runnable::run);
    }

    /** Runs {@code action} on the first signal (at once if it already came). */
    void onStop(Runnable action) {
        onStop.add(action);
        if (signal != null) {
            action.run();
        }
    }

    /** The signal that stopped the run ("INT", "TERM"), or null. */
    String signal() {
        return signal;
    }

    @Override
    public void close() {
        previous.forEach((name, handler) -> sun.misc.Signal.handle(new sun.misc.Signal(name), handler));
    }
}
