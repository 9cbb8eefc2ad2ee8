package org.segstream.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Awaitility for tests that read until they have seen enough, then assert on what they read. */
public final class Waits {
    private Waits() {
    }

    /**
     * Calls {@code readAndCheck} on the calling thread (it may poll a Kafka consumer, whose poll does the waiting)
     * until it returns true, for at most {@code timeout}. A timeout is not a failure here: returns false, and the
     * caller's assertions on what was read say what is missing. Exceptions of {@code readAndCheck} propagate.
     */
    public static boolean readUntil(String what, Duration timeout, Callable<Boolean> readAndCheck) {
        try {
            Awaitility.await(what).atMost(timeout).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(readAndCheck);
            return true;
        } catch (ConditionTimeoutException timedOut) {
            return false;
        }
    }
}
