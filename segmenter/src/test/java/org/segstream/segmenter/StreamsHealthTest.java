package org.segstream.segmenter;

import static org.apache.kafka.streams.KafkaStreams.State.CREATED;
import static org.apache.kafka.streams.KafkaStreams.State.ERROR;
import static org.apache.kafka.streams.KafkaStreams.State.NOT_RUNNING;
import static org.apache.kafka.streams.KafkaStreams.State.PENDING_ERROR;
import static org.apache.kafka.streams.KafkaStreams.State.PENDING_SHUTDOWN;
import static org.apache.kafka.streams.KafkaStreams.State.REBALANCING;
import static org.apache.kafka.streams.KafkaStreams.State.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreamsHealthTest {

    @Test
    void startingRunningAndRebalancingAreHealthy() {
        var health = new StreamsHealth();
        assertTrue(health.healthy());
        health.stateChanged(REBALANCING, CREATED);
        health.stateChanged(RUNNING, REBALANCING);
        health.stateChanged(REBALANCING, RUNNING);
        assertTrue(health.healthy());
        assertNull(health.failure());
    }

    @Test
    void aDeadStreamThreadIsAFailureEvenBeforeTheStateChanges() {
        var health = new StreamsHealth();
        health.stateChanged(RUNNING, REBALANCING);
        var error = new IllegalStateException("boom");
        health.threadFailed(error);
        assertFalse(health.healthy());
        assertSame(error, health.failure());
        health.stateChanged(PENDING_ERROR, RUNNING);
        health.stateChanged(ERROR, PENDING_ERROR);
        assertSame(error, health.failure(), "the first failure is the one reported");
    }

    @Test
    void stoppingWithoutBeingClosedIsAFailureButAClosedInstanceIsNot() {
        var stopped = new StreamsHealth();
        stopped.stateChanged(RUNNING, REBALANCING);
        stopped.stateChanged(PENDING_SHUTDOWN, RUNNING);
        assertFalse(stopped.healthy());
        assertEquals("Kafka Streams went from RUNNING to PENDING_SHUTDOWN without being closed", stopped.failure().getMessage());

        var closed = new StreamsHealth();
        closed.stateChanged(RUNNING, REBALANCING);
        closed.closing();
        closed.stateChanged(PENDING_SHUTDOWN, RUNNING);
        closed.stateChanged(NOT_RUNNING, PENDING_SHUTDOWN);
        assertNull(closed.failure());
        assertFalse(closed.healthy(), "closed: no longer serving");
    }
}
