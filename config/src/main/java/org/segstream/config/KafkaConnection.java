package org.segstream.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where the Kafka cluster is and the client settings every producer, consumer, admin and Kafka Streams
 * instance gets unchanged (security settings above all), read once: {@code KAFKA_BOOTSTRAP_SERVERS},
 * the properties file named by {@code SEGSTREAM_KAFKA_CONFIG}, then {@code KAFKA_CLIENT_*} variables
 * ({@code KAFKA_CLIENT_SECURITY_PROTOCOL=SASL_SSL} becomes {@code security.protocol=SASL_SSL}).
 * Values are never shown.
 *
 * @param clientProperties the pass-through settings, without {@code bootstrap.servers}
 */
public record KafkaConnection(String bootstrapServers, Map<String, Object> clientProperties) {
    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.of("KAFKA_BOOTSTRAP_SERVERS", null,
            "host:port[,host:port...] of the Kafka cluster", text -> text);
    public static final Setting<Path> CLIENT_CONFIG = Setting.of("SEGSTREAM_KAFKA_CONFIG", null,
            "a readable .properties file of Kafka client settings", text -> {
                Path path = Path.of(text);
                return Files.isReadable(path) && !Files.isDirectory(path) ? path : null;
            });
    /** One client setting per variable, named after the prefix. */
    public static final String CLIENT_PREFIX = "KAFKA_CLIENT_";
    public static final List<Setting<?>> SETTINGS = List.of(BOOTSTRAP_SERVERS, CLIENT_CONFIG);

    public KafkaConnection {
        clientProperties = Map.copyOf(clientProperties);
    }

    /** A cluster without client settings of its own (an embedded broker). */
    public static KafkaConnection plain(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** From the variables; KAFKA_BOOTSTRAP_SERVERS must be set. */
    public static KafkaConnection from(Settings settings) {
        Map<String, Object> props = new HashMap<>();
        Path file = settings.get(CLIENT_CONFIG);
        if (file != null) {
            var loaded = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                loaded.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(CLIENT_CONFIG.name() + " is '" + file + "', which cannot be read as properties: "
                        + e.getMessage());
            }
            loaded.forEach((k, v) -> props.put(k.toString(), v.toString()));
        }
        settings.withPrefix(CLIENT_PREFIX).forEach((name, value) ->
                props.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value));
        return new KafkaConnection(settings.required(BOOTSTRAP_SERVERS), props);
    }

    /** The client settings with {@code bootstrap.servers}: what an admin client or a plain consumer is built from. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    /** Shows the setting names, never their values (passwords). */
    @Override
    public String toString() {
        return "KafkaConnection[" + bootstrapServers + ", settings " + new java.util.TreeSet<>(clientProperties.keySet()) + "]";
    }
}
