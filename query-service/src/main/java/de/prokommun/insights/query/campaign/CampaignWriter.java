package de.prokommun.insights.query.campaign;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.http.IdempotentProducer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes a campaign's new state to topic campaigns (key city/campaignId) and completes once Kafka holds it. */
public interface CampaignWriter extends AutoCloseable {

    CompletionStage<Void> write(Campaign campaign);

    @Override
    default void close() {}

    /** The idempotent producer every service uses for records that must arrive once and in order. */
    static CampaignWriter kafka(Settings settings) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(IdempotentProducer.properties(settings,
                "prokommun-query-campaigns", Duration.ofSeconds(30), Duration.ofMillis(5), Duration.ofSeconds(10),
                Duration.ofSeconds(10)), new StringSerializer(), new ByteArraySerializer());
        String topic = Topics.CAMPAIGNS.name(settings);
        return new CampaignWriter() {
            @Override
            public CompletionStage<Void> write(Campaign c) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                producer.send(new ProducerRecord<>(topic, CampaignBook.key(c.getCity(), c.getCampaignId()),
                        Topics.CAMPAIGNS.codec().encode(c)), (metadata, error) -> {
                    if (error == null) done.complete(null);
                    else done.completeExceptionally(error);
                });
                return done;
            }

            @Override
            public void close() {
                producer.close(Duration.ofSeconds(5));
            }
        };
    }
}
