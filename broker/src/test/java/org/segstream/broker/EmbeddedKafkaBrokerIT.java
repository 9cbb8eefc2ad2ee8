package org.segstream.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerIT {

    @Test
    void keepsRecordsAcrossAKillAndRestart() throws Exception {
        try (var broker = EmbeddedKafkaBroker.start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            }
            produce(broker, "before");
            broker.kill();
            broker.restart();
            produce(broker, "after");

            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("t"));
                var values = new java.util.ArrayList<String>();
                try {
                    // In the test's thread (the consumer is single-threaded); the consumer's poll does the waiting.
                    await("both records").atMost(Duration.ofSeconds(30)).pollInSameThread()
                            .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
                                return values.size() >= 2;
                            });
                } catch (ConditionTimeoutException timedOut) {
                    // the assertion below shows what was read
                }
                assertEquals(List.of("before", "after"), values);
            }
        }
    }

    private static void produce(EmbeddedKafkaBroker broker, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("t", "k", value)).get();
        }
    }
}
