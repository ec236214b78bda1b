package de.prokommun.insights.local.demo;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the demo portal's inbox from topic portal-outbox, as the city portal would: every partition from the start
 * (the topic keeps a day), committed records only (the campaign job writes exactly-once), no consumer group (the
 * inbox is rebuilt at every start).
 */
public final class PortalOutboxReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortalOutboxReader.class);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    public PortalOutboxReader(String bootstrapServers, Settings settings, PortalInbox inbox) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        String topic = Topics.PORTAL_OUTBOX.name(settings);
        thread = new Thread(() -> read(topic, inbox), "demo-portal-outbox");
        thread.setDaemon(true);
        thread.start();
    }

    private void read(String topic, PortalInbox inbox) {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) continue;
                    try {
                        inbox.accept(Topics.PORTAL_OUTBOX.codec().decode(record.value()));
                    } catch (RuntimeException undecodable) {
                        LOG.warn("portal-outbox record at {}-{}@{} not readable: {}", record.topic(), record.partition(),
                                record.offset(), undecodable.toString());
                    }
                }
            }
        } catch (WakeupException closing) {
            // close() woke the consumer
        } catch (RuntimeException e) {
            LOG.warn("the demo portal stopped reading portal-outbox", e);
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
