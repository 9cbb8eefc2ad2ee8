package org.segstream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    private static final Setting<Integer> CRF = Setting.wholeNumber("SEGSTREAM_H264_CRF", 23, 0, 51);

    @Test
    void readsEachVariableThroughItsSetting() {
        assertEquals(23, Settings.of(Map.of()).get(CRF));
        assertEquals(30, Settings.of(Map.of("SEGSTREAM_H264_CRF", "30")).get(CRF));
        assertEquals(23, Settings.of(Map.of("SEGSTREAM_H264_CRF", " ")).get(CRF), "blanks: unset");
        assertThrows(ConfigException.class, () -> Settings.of(Map.of("SEGSTREAM_H264_CRF", "52")).get(CRF));
    }

    @Test
    void aRequiredSettingThatIsMissingIsNamed() {
        var e = assertThrows(ConfigException.class, () -> KafkaConnection.from(Settings.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", " "))));
        assertEquals("KAFKA_BOOTSTRAP_SERVERS is not set, expected host:port[,host:port...] of the Kafka cluster", e.getMessage());
    }

    @Test
    void kafkaClientSettingsComeFromTheFileThenTheVariables(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\nsasl.mechanism=PLAIN\n");
        var kafka = KafkaConnection.from(Settings.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "SEGSTREAM_KAFKA_CONFIG", file.toString(),
                "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_CLIENT_", "ignored")));
        assertEquals("b:9092", kafka.bootstrapServers());
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"), kafka.clientProperties());
        assertEquals("b:9092", kafka.clientConfig().get("bootstrap.servers"));
        assertFalse(kafka.toString().contains("SASL_SSL"), kafka.toString());
    }

    @Test
    void anUnreadableKafkaConfigIsNamed(@TempDir Path dir) {
        var e = assertThrows(ConfigException.class, () -> KafkaConnection.from(Settings.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "SEGSTREAM_KAFKA_CONFIG", dir.resolve("missing.properties").toString()))));
        assertTrue(e.getMessage().startsWith("SEGSTREAM_KAFKA_CONFIG is '"), e.getMessage());
        assertTrue(e.getMessage().endsWith("missing.properties', expected a readable .properties file of Kafka client settings"),
                e.getMessage());
    }

    @Test
    void prefixedVariablesAndToStringShowNoValue() {
        var settings = Settings.of(Map.of("KAFKA_CLIENT_SASL_JAAS_CONFIG", "secret-value", "OTHER", "x"));
        assertEquals(Map.of("SASL_JAAS_CONFIG", "secret-value"), settings.withPrefix("KAFKA_CLIENT_"));
        assertFalse(settings.toString().contains("secret-value"));
    }
}
