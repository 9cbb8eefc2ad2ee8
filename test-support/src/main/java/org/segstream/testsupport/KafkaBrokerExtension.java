package org.segstream.testsupport;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.contract.Topics;

/**
 * One real Kafka broker (KRaft, a child JVM on loopback: {@link EmbeddedKafkaBroker}) for a test class, started
 * before the class's own {@code @BeforeAll} methods and stopped after its {@code @AfterAll} ones:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final KafkaBrokerExtension broker = new KafkaBrokerExtension();
 * ...
 * Topics topics = broker.createTopics("hostile", 2);
 * </pre>
 *
 * One broker per class rather than per JVM: several test classes write to the default topic names and read
 * them back whole, which a shared broker would mix up.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public String bootstrapServers() {
        return running().bootstrapServers();
    }

    /** The broker itself, for tests that kill or restart it. */
    public EmbeddedKafkaBroker broker() {
        return running();
    }

    /** Topics of the test's own on this broker ({@link TestTopics#create}). */
    public Topics createTopics(String prefix, int partitions) throws ExecutionException, InterruptedException {
        return TestTopics.create(bootstrapServers(), prefix, partitions);
    }

    private EmbeddedKafkaBroker running() {
        if (broker == null) {
            throw new IllegalStateException("no broker: register the extension on a static field (@RegisterExtension static final ...)");
        }
        return broker;
    }
}
