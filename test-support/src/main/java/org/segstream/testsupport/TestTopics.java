package org.segstream.testsupport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.segstream.contract.Topics;

/** Topics of their own for one test on a shared broker: "prefix.frames", "prefix.masks", ... */
public final class TestTopics {
    private TestTopics() {
    }

    /** Creates the four topics with {@code partitions} partitions each and segstream's record size limit. */
    public static Topics create(String bootstrapServers, String prefix, int partitions) throws ExecutionException, InterruptedException {
        return create(bootstrapServers, new Topics(prefix + ".frames", prefix + ".masks", prefix + ".dead-letters", prefix + ".stats"),
                partitions);
    }

    /** Creates {@code topics} (e.g. {@link Topics#defaults()}) as {@link #create(String, String, int)} does. */
    public static Topics create(String bootstrapServers, Topics topics, int partitions) throws ExecutionException, InterruptedException {
        var limit = Map.of("max.message.bytes", String.valueOf(Topics.MAX_RECORD_BYTES));
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(topics.frames(), topics.masks(), topics.deadLetters(), topics.stats()).stream()
                    .map(name -> new NewTopic(name, partitions, (short) 1).configs(limit)).toList()).all().get();
        }
        return topics;
    }
}
