package de.prokommun.insights.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class IdempotentProducerTest {

    private static final Settings SETTINGS = Settings.of(Map.of(CommonConfig.KAFKA_BOOTSTRAP.name(), "127.0.0.1:1"));

    @Test
    void theSettingsAreOnesKafkaAcceptsForAnIdempotentProducer() {
        Properties p = IdempotentProducer.properties(SETTINGS, "test-client", Duration.ofSeconds(10),
                Duration.ofMillis(5), Duration.ofSeconds(5), Duration.ofSeconds(2));
        assertThat(p).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "test-client")
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000L);
        // Kafka's own check of the combination (acks, in-flight requests, timeouts); no broker is contacted
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()).close(Duration.ZERO);
    }

    @Test
    void aDeliveryTimeoutShorterThanLingerPlusRequestTimeoutIsRefusedNamingAll() {
        assertThatThrownBy(() -> IdempotentProducer.properties(SETTINGS, "c", Duration.ofMillis(100),
                Duration.ofMillis(50), Duration.ofMillis(60), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.1S").hasMessageContaining("PT0.05S")
                .hasMessageContaining("PT0.06S");
    }
}
