package org.segstream.launcher;

import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.segstream.config.KafkaConnection;
import org.segstream.contract.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segstream topics}: the topics on the cluster of KAFKA_BOOTSTRAP_SERVERS (client settings and names from the usual variables). */
@Command(name = "topics", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, sortOptions = false,
        header = "creates the topics where missing, with their retention; sets it on those that exist",
        description = {"Creates the topics on KAFKA_BOOTSTRAP_SERVERS where missing, with their retention",
                "(SEGSTREAM_*_RETENTION_MS/_BYTES), and sets it on those that exist."})
final class TopicsCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--partitions", paramLabel = "N", description = "partitions of a created topic, 1..10000 (default "
            + TopicSetup.DEFAULT_PARTITIONS + ")")
    int partitions = TopicSetup.DEFAULT_PARTITIONS;

    @Option(names = "--replication-factor", paramLabel = "N", description = "replicas of a created topic (default 1)")
    int replication = 1;

    TopicsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        CliValues.inRange("--partitions", partitions, 1, 10_000);
        CliValues.inRange("--replication-factor", replication, 1, Short.MAX_VALUE);
        var settings = context.settings();
        KafkaConnection kafka = KafkaConnection.from(settings);
        TopicRetention retention = TopicRetention.from(settings);
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            for (String line : TopicSetup.ensure(admin, Topics.from(settings), partitions, (short) replication, retention)) {
                context.out().println(line);
            }
        }
        return 0;
    }
}
