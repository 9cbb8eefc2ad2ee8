package org.segstream.segmenter;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether a Kafka Streams instance still works, and if not, why: it stops working when a stream
 * thread dies (the uncaught-exception handler saw it) or when it leaves the running states without
 * having been asked to close. A service that stopped working must say so (its health path) and exit,
 * so a supervisor restarts it: a JVM that answers "healthy" with no stream thread left does nothing.
 * Written by Kafka Streams' threads, read by anyone: thread-safe.
 */
final class StreamsHealth {
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closing;
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;

    /** From the uncaught-exception handler: the first failure is the one reported. */
    void threadFailed(Throwable error) {
        failure.compareAndSet(null, error);
    }

    /** From the state listener. */
    void stateChanged(KafkaStreams.State now, KafkaStreams.State before) {
        state = now;
        boolean stopped = now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR
                || ((now == KafkaStreams.State.PENDING_SHUTDOWN || now == KafkaStreams.State.NOT_RUNNING) && !closing);
        if (stopped) {
            failure.compareAndSet(null, new IllegalStateException("Kafka Streams went from " + before + " to " + now
                    + " without being closed"));
        }
    }

    /** The owner is closing the instance: the states that follow are no failure. */
    void closing() {
        closing = true;
    }

    /** Starting, running or rebalancing, and no thread has failed. */
    boolean healthy() {
        KafkaStreams.State now = state;
        return failure.get() == null && !closing
                && (now == KafkaStreams.State.CREATED || now == KafkaStreams.State.REBALANCING || now == KafkaStreams.State.RUNNING);
    }

    /** What stopped the instance (the dead thread's exception, or the state it went to), or null while it works. */
    Throwable failure() {
        return failure.get();
    }
}
