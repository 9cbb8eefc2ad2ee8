package org.segstream.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka broker in KRaft mode (broker and controller in one process),
 * run as a child JVM on loopback from the kafka_2.13 artifacts on this JVM's class path.
 *
 * <p>A child process rather than an in-process server: the broker's heap and threads stay apart from
 * the pipeline's, and tests can kill and restart it on the same data directory like a real one.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> extraConfig;
    private final SaslSslSetup security; // null: plaintext
    private final BrokerJvm jvm;
    private Process process;
    private Thread shutdownHook;

    private EmbeddedKafkaBroker(Path dataDir, boolean deleteOnClose, Map<String, String> extraConfig, SaslSslSetup security) {
        this.security = security;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.extraConfig = extraConfig;
        this.brokerPort = freePort();
        this.controllerPort = freePort();
        this.jvm = new BrokerJvm(dataDir.resolve("broker.log"));
    }

    /** Formats a fresh temporary data directory and starts the broker; the directory is deleted on close. */
    public static EmbeddedKafkaBroker start() {
        return start(Map.of());
    }

    /** As {@link #start()}, with broker settings added to (or overriding) the defaults. */
    public static EmbeddedKafkaBroker start(Map<String, String> extraConfig) {
        try {
            var broker = new EmbeddedKafkaBroker(Files.createTempDirectory("segstream-kafka-"), true, extraConfig, null);
            broker.format();
            broker.launch();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for the embedded Kafka broker", e);
        }
    }

    /**
     * A broker that accepts only SASL_SSL with SCRAM-SHA-512 (a self-signed certificate for 127.0.0.1),
     * with one client user {@code user}/{@code password}; {@link #clientProperties()} are what clients need.
     */
    public static EmbeddedKafkaBroker startSaslSsl(String user, String password) {
        try {
            Path dir = Files.createTempDirectory("segstream-kafka-");
            var broker = new EmbeddedKafkaBroker(dir, true, Map.of(), SaslSslSetup.create(dir, user, password));
            broker.format();
            broker.launch();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the SASL_SSL embedded Kafka broker", e);
        }
    }

    /** Client settings for this broker: empty for plaintext; SASL_SSL, SCRAM and the truststore otherwise. */
    public Map<String, String> clientProperties() {
        return security == null ? Map.of() : security.clientProperties();
    }

    /** Client settings with another password, for testing a refused login. */
    public Map<String, String> clientPropertiesWithPassword(String password) {
        return security == null ? Map.of() : security.clientProperties(password);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker process abruptly (SIGKILL), as a crash would. */
    public void kill() {
        stopProcess(true);
    }

    /** Stops the broker cleanly (SIGTERM, controlled shutdown). */
    public void stop() {
        stopProcess(false);
    }

    /** Starts the broker again on the same data directory and ports after {@link #kill()} or {@link #stop()}. */
    public void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("broker is still running");
        }
        launch();
    }

    @Override
    public void close() {
        stopProcess(false);
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook itself is running
            }
        }
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    private Path configFile() {
        return dataDir.resolve("server.properties");
    }

    private void format() throws IOException {
        Properties props = BrokerProperties.of(dataDir, brokerPort, controllerPort, security, extraConfig);
        try (var out = Files.newBufferedWriter(configFile())) {
            props.store(out, "segstream embedded broker");
        }
        String clusterId = Uuid.randomUuid().toString();
        List<String> format = new ArrayList<>(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", configFile().toString()));
        if (security != null) {
            format.addAll(security.scramFormatArguments());
        }
        jvm.run(format, Duration.ofSeconds(60), "format the KRaft data directory");
    }

    private void launch() {
        long started = System.nanoTime();
        try {
            process = jvm.start(List.of("kafka.Kafka", configFile().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker JVM", e);
        }
        if (shutdownHook == null) {
            shutdownHook = new Thread(() -> stopProcess(true), "kafka-broker-reaper");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        awaitReady();
        log.info("Kafka broker (KRaft) up at {} in {} ms, data in {}", bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000, dataDir);
    }

    private void awaitReady() {
        try {
            BrokerReadiness.await(process, bootstrapServers(), brokerPort, clientProperties(), STARTUP_TIMEOUT, jvm);
        } catch (IllegalStateException notUp) {
            stopProcess(true);
            throw notUp;
        }
    }

    private synchronized void stopProcess(boolean forcibly) {
        if (process == null || !process.isAlive()) {
            return;
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                log.warn("Kafka broker did not stop within 30 s; killing it");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", root, e.getMessage());
        }
    }
}
