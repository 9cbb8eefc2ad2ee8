package org.segstream.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.segstream.contract.Topics;

/**
 * The server.properties of a single KRaft node on loopback: broker and controller in one process,
 * every internal topic with one replica, no topic created on demand, frames up to 8 MiB.
 */
final class BrokerProperties {
    private BrokerProperties() {
    }

    /**
     * @param security null for plaintext, else its SASL_SSL listener settings are added
     * @param extra    settings added to, or overriding, the defaults
     */
    static Properties of(Path dataDir, int brokerPort, int controllerPort, SaslSslSetup security, Map<String, String> extra) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String listener = security == null ? "PLAINTEXT" : "SASL_SSL";
        props.put("listeners", listener + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", listener + "://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", listener);
        props.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        if (security != null) {
            props.putAll(security.brokerProperties());
        }
        props.put("log.dirs", dataDir.resolve("log").toString());
        singleNode(props);
        // segstream's records, frames above all, up to the contract's limit (topics it creates say so too).
        props.put("message.max.bytes", String.valueOf(Topics.MAX_RECORD_BYTES));
        props.putAll(extra);
        return props;
    }

    /** One node: every internal topic has a single replica; groups start without waiting for more members. */
    private static void singleNode(Properties props) {
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "4");
        props.put("auto.create.topics.enable", "false");
    }
}
