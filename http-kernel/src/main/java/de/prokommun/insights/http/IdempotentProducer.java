package de.prokommun.insights.http;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings of every producer whose records must reach Kafka once and in order although it retries: the
 * ingestion's raw events and mappings, the resident API's change events. acks=all with idempotence and at most five
 * requests in flight (Kafka keeps the order only up to five); the caller adds what is its own (compression, batch
 * size). One place, so that no service forgets one of them and a retry after a lost acknowledgement writes twice.
 */
public final class IdempotentProducer {
    private IdempotentProducer() {}

    /**
     * @param delivery       how long a record may take in all, retries included (delivery.timeout.ms)
     * @param linger         how long a record may wait for others of its batch
     * @param requestTimeout how long one request may wait for the broker's answer
     * @param maxBlock       how long send() may block waiting for metadata or buffer space
     * @throws IllegalArgumentException when delivery is shorter than linger + request timeout (Kafka refuses that)
     */
    public static Properties properties(Settings settings, String clientId, Duration delivery, Duration linger,
                                        Duration requestTimeout, Duration maxBlock) {
        if (delivery.compareTo(linger.plus(requestTimeout)) < 0) {
            throw new IllegalArgumentException("delivery timeout " + delivery + " is shorter than linger " + linger
                    + " + request timeout " + requestTimeout);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(CommonConfig.KAFKA_BOOTSTRAP));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestTimeout.toMillis());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock.toMillis());
        return p;
    }
}
