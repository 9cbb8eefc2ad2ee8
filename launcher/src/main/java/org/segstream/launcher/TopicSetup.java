package org.segstream.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.segstream.contract.Topics;

/**
 * Creates segstream's topics where they do not exist yet (see docs/topics.md), each with its
 * retention ({@link TopicRetention}), and sets that retention on topics that already exist, so a
 * changed limit takes effect on the next start. Used by {@code segstream run} on its own broker and by
 * {@code segstream topics} (the compose stack's one-shot {@code topics} service).
 */
final class TopicSetup {
    /** Large enough for a 4K JPEG frame; ingest keeps every frame under it. */
    static final String MAX_MESSAGE_BYTES = String.valueOf(Topics.MAX_RECORD_BYTES);
    static final int DEFAULT_PARTITIONS = 4;

    private TopicSetup() {
    }

    /** With the default retention. */
    static List<String> ensure(Admin admin, Topics topics, int partitions, short replication) throws ExecutionException, InterruptedException {
        return ensure(admin, topics, partitions, replication, TopicRetention.DEFAULT);
    }

    /** Creates what is missing, aligns the retention of what exists; returns one line per topic saying what it did. */
    static List<String> ensure(Admin admin, Topics topics, int partitions, short replication, TopicRetention retention)
            throws ExecutionException, InterruptedException {
        Map<String, Map<String, String>> wanted = configs(topics, retention);
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        List<String> report = new ArrayList<>();
        Map<String, String> limits = describe(topics, retention);
        for (var topic : wanted.entrySet()) {
            if (!existing.contains(topic.getKey())) {
                missing.add(new NewTopic(topic.getKey(), partitions, replication).configs(topic.getValue()));
                report.add("created " + topic.getKey() + ": " + partitions + " partitions, keeps " + limits.get(topic.getKey()));
            }
        }
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get();
        }
        report.addAll(align(admin, wanted.keySet().stream().filter(existing::contains).toList(), wanted, limits));
        return report;
    }

    /** Sets, on the topics that existed, every wanted config they lack or hold another value of; a line per topic. */
    private static List<String> align(Admin admin, List<String> names, Map<String, Map<String, String>> wanted, Map<String, String> limits)
            throws ExecutionException, InterruptedException {
        List<ConfigResource> present = names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        if (present.isEmpty()) {
            return List.of();
        }
        List<String> report = new ArrayList<>();
        Map<ConfigResource, Config> current = admin.describeConfigs(present).all().get();
        Map<ConfigResource, java.util.Collection<AlterConfigOp>> changes = new HashMap<>();
        for (ConfigResource resource : present) {
            List<String> changed = new ArrayList<>();
            for (var config : wanted.get(resource.name()).entrySet()) {
                ConfigEntry entry = current.get(resource).get(config.getKey());
                if (entry == null || !config.getValue().equals(entry.value())) {
                    changes.computeIfAbsent(resource, r -> new ArrayList<>())
                            .add(new AlterConfigOp(new ConfigEntry(config.getKey(), config.getValue()), AlterConfigOp.OpType.SET));
                    changed.add(config.getKey() + "=" + config.getValue() + (entry == null ? "" : " (was " + entry.value() + ")"));
                }
            }
            report.add(resource.name() + " exists" + (changed.isEmpty() ? ", keeps " + limits.get(resource.name())
                    : ": set " + String.join(", ", changed) + ", so it keeps " + limits.get(resource.name())));
        }
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get();
        }
        return report;
    }

    /** Every topic's configs: the record size limit, then its retention. */
    static Map<String, Map<String, String>> configs(Topics topics, TopicRetention retention) {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        configs.put(topics.frames(), withMaxMessage(retention.frames()));
        configs.put(topics.masks(), withMaxMessage(retention.masks()));
        configs.put(topics.deadLetters(), withMaxMessage(retention.deadLetters()));
        configs.put(topics.stats(), withMaxMessage(retention.stats()));
        return configs;
    }

    private static Map<String, String> describe(Topics topics, TopicRetention retention) {
        Map<String, String> limits = new HashMap<>();
        limits.put(topics.frames(), retention.frames().describe());
        limits.put(topics.masks(), retention.masks().describe());
        limits.put(topics.deadLetters(), retention.deadLetters().describe());
        limits.put(topics.stats(), retention.stats().describe());
        return limits;
    }

    private static Map<String, String> withMaxMessage(TopicRetention.Limit limit) {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("max.message.bytes", MAX_MESSAGE_BYTES);
        configs.putAll(limit.configs());
        return configs;
    }
}
