package org.segstream.launcher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a standalone service runs: until SIGTERM/SIGINT (the caller's try-with-resources then drains
 * and closes it), or until its own health fails, when it exits non-zero so that a supervisor
 * (docker's restart policy, systemd) restarts it rather than leaving a process that does nothing.
 */
final class ServiceLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ServiceLifecycle.class);
    /** The exit code of a service that stopped working on its own. */
    static final int UNHEALTHY_EXIT = 1;

    private ServiceLifecycle() {
    }

    /** Blocks until a shutdown signal (returns 0) or until {@code health} reports a problem (returns {@link #UNHEALTHY_EXIT}). */
    static int runUntilStopped(String service, MetricsServer.HealthCheck health) throws InterruptedException {
        var stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "segstream-shutdown"));
        while (!stop.await(1, TimeUnit.SECONDS)) {
            String problem = health.problem();
            if (problem != null) {
                log.error("{} is no longer working ({}); exiting with {} so that a supervisor restarts it", service, problem,
                        UNHEALTHY_EXIT);
                return UNHEALTHY_EXIT;
            }
        }
        return 0;
    }
}
