package org.segstream.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.segstream.contract.Topics;
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
    private Process process;
    private Thread shutdownHook;

    private EmbeddedKafkaBroker(Path dataDir, boolean deleteOnClose, Map<String, String> extraConfig, SaslSslSetup security) {
        this.security = security;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.extraConfig = extraConfig;
        this.brokerPort = freePort();
        this.controllerPort = freePort();
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

    private Path logFile() {
        return dataDir.resolve("broker.log");
    }

    private void format() throws IOException {
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
        // One node: every internal topic has a single replica.
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
        // segstream's records, frames above all, up to the contract's limit (topics it creates say so too).
        props.put("message.max.bytes", String.valueOf(Topics.MAX_RECORD_BYTES));
        props.putAll(extraConfig);
        try (var out = Files.newBufferedWriter(configFile())) {
            props.store(out, "segstream embedded broker");
        }
        String clusterId = Uuid.randomUuid().toString();
        List<String> format = new ArrayList<>(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", configFile().toString()));
        if (security != null) {
            format.addAll(security.scramFormatArguments());
        }
        runJava(format,
                Duration.ofSeconds(60), "format the KRaft data directory");
    }

    private void launch() {
        long started = System.nanoTime();
        try {
            ProcessBuilder builder = javaCommand(List.of("kafka.Kafka", configFile().toString()));
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
            process = builder.start();
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
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        // Wait for the listener first: an admin client polling a closed port logs a warning each time.
        while (System.nanoTime() < deadline && process.isAlive() && !accepting(brokerPort)) {
            sleep(100);
        }
        Properties props = new Properties();
        props.putAll(clientProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited with code " + process.exitValue()
                            + " during start-up; last lines of " + logFile() + ":\n" + tail(logFile(), 30));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // still starting
                }
                sleep(200);
            }
        }
        stopProcess(true);
        throw new IllegalStateException("the Kafka broker did not come up within " + STARTUP_TIMEOUT.toSeconds()
                + " s; last lines of " + logFile() + ":\n" + tail(logFile(), 30));
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

    private void runJava(List<String> mainAndArgs, Duration timeout, String what) {
        try {
            ProcessBuilder builder = javaCommand(mainAndArgs);
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
            Process p = builder.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out trying to " + what);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("failed to " + what + " (exit " + p.exitValue() + "):\n" + tail(logFile(), 20));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM to " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private static ProcessBuilder javaCommand(List<String> mainAndArgs) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // A session of its own: a terminal's Ctrl-C meant for the parent must not stop the broker
            // under a pipeline that is still draining (the parent stops it when it is done).
            command.add(SETSID.toString());
        }
        command.addAll(List.of(java,
                "-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command);
    }

    private static boolean accepting(int port) {
        try (var socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
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

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
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
