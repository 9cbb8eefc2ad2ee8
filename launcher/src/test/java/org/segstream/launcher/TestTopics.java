package org.segstream.launcher;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.broker.EmbeddedKafkaBroker;
import org.segstream.contract.Topics;

/** Topics of their own for one test on a shared broker: "prefix.frames", "prefix.masks", ... */
final class TestTopics {
    private TestTopics() {
    }

    static Topics create(EmbeddedKafkaBroker broker, String prefix, int partitions) throws Exception {
        var topics = new Topics(prefix + ".frames", prefix + ".masks", prefix + ".dead-letters", prefix + ".stats");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TopicSetup.ensure(admin, topics, partitions, (short) 1);
        }
        return topics;
    }
}
