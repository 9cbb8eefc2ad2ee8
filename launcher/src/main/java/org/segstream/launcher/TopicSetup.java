package org.segstream.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.segstream.contract.Topics;

/** Creates segstream's topics where they do not exist yet (see docs/topics.md). */
final class TopicSetup {
    /** Large enough for a 4K JPEG frame; ingest keeps every frame under it. */
    static final String MAX_MESSAGE_BYTES = String.valueOf(Topics.MAX_RECORD_BYTES);

    private TopicSetup() {
    }

    static void ensure(Admin admin, Topics topics, int partitions, short replication) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (String name : List.of(topics.frames(), topics.masks(), topics.deadLetters(), topics.stats())) {
            if (!existing.contains(name)) {
                missing.add(new NewTopic(name, partitions, replication).configs(Map.of("max.message.bytes", MAX_MESSAGE_BYTES)));
            }
        }
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get();
        }
    }
}
