package org.segstream.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Waits for a starting broker: first for its port to accept connections (an admin client polling a
 * closed port logs a warning each time), then for it to answer a cluster description with a node.
 */
final class BrokerReadiness {
    private BrokerReadiness() {
    }

    /**
     * Returns once the broker answers; throws {@link IllegalStateException}, with the last lines of its
     * log, if the process exits or {@code timeout} passes first.
     */
    static void await(Process process, String bootstrapServers, int port, Map<String, String> clientProperties, Duration timeout,
                      BrokerJvm jvm) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive() && !accepting(port)) {
            sleep(100);
        }
        try (Admin admin = Admin.create(adminProperties(bootstrapServers, clientProperties))) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited with code " + process.exitValue()
                            + " during start-up; last lines of " + jvm.logFile() + ":\n" + jvm.tail(30));
                }
                if (answers(admin)) {
                    return;
                }
                sleep(200);
            }
        }
        throw new IllegalStateException("the Kafka broker did not come up within " + timeout.toSeconds()
                + " s; last lines of " + jvm.logFile() + ":\n" + jvm.tail(30));
    }

    private static boolean answers(Admin admin) {
        try {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception notYet) {
            return false; // still starting
        }
    }

    /** An admin client that asks quickly and often, to see the broker answer as soon as it does. */
    private static Properties adminProperties(String bootstrapServers, Map<String, String> clientProperties) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        return props;
    }

    private static boolean accepting(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
