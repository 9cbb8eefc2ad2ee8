package org.segstream.service;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka client settings passed through unchanged to every producer, consumer and Kafka Streams
 * instance (security settings above all): from the properties file named by SEGSTREAM_KAFKA_CONFIG,
 * then from KAFKA_CLIENT_* variables (KAFKA_CLIENT_SECURITY_PROTOCOL=SASL_SSL becomes
 * security.protocol=SASL_SSL). Values are never logged.
 */
public final class KafkaClientProperties {
    private static final String PREFIX = "KAFKA_CLIENT_";

    private KafkaClientProperties() {
    }

    public static Map<String, Object> from(Map<String, String> env) throws IOException {
        Map<String, Object> props = new HashMap<>();
        String file = env.get("SEGSTREAM_KAFKA_CONFIG");
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file);
            if (!Files.isReadable(path)) {
                throw new IOException("SEGSTREAM_KAFKA_CONFIG names " + path + ", which is not a readable file");
            }
            var loaded = new Properties();
            try (Reader reader = Files.newBufferedReader(path)) {
                loaded.load(reader);
            }
            loaded.forEach((k, v) -> props.put(k.toString(), v.toString()));
        }
        env.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
                props.put(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return props;
    }
}
