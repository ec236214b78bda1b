package de.prokommun.insights.query.campaign;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.Campaign;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted topic {@code campaigns} from the beginning into the {@link CampaignBook} and follows it, so
 * that every instance knows every campaign (also those another instance created). No consumer group: every
 * instance reads the whole topic. The book reports {@link CampaignBook#caughtUp} once the feed reached the end the
 * topic had when it started; until then the campaign routes answer 503 rather than "no such campaign".
 */
public final class CampaignFeed extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration KAFKA_CALL = Duration.ofSeconds(5);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final CampaignBook book;
    private Thread thread;
    private volatile boolean running = true;

    CampaignFeed(Consumer<String, byte[]> consumer, String topic, CampaignBook book) {
        this.consumer = consumer;
        this.topic = topic;
        this.book = book;
    }

    public static CampaignFeed of(Settings settings, CampaignBook book) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(CommonConfig.KAFKA_BOOTSTRAP));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "prokommun-query-campaigns");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new CampaignFeed(new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer()),
                Topics.CAMPAIGNS.name(settings), book);
    }

    @Override
    public Future<?> start() {
        thread = new Thread(this::run, "query-campaign-feed");
        thread.setDaemon(true);
        thread.start();
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        running = false;
        consumer.wakeup();
        return vertx.executeBlocking(() -> {
            thread.join(10_000);
            return null;
        });
    }

    private void run() {
        long lastWarning = 0;
        List<TopicPartition> partitions = null;
        Map<TopicPartition, Long> startEnds = null;
        try {
            while (running) {
                try {
                    if (partitions == null) {
                        partitions = partitions();
                        consumer.assign(partitions);
                        consumer.seekToBeginning(partitions);
                        startEnds = consumer.endOffsets(partitions, KAFKA_CALL);
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) apply(r);
                    if (!book.caughtUp() && reached(startEnds)) book.caughtUp(true);
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) { // Kafka away or the topic missing: retry, loudly but not per poll
                    if (System.nanoTime() - lastWarning > 30_000_000_000L) {
                        LOG.warn("cannot read the campaigns from {}: {}", topic, e.toString());
                        lastWarning = System.nanoTime();
                    }
                    sleep();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5)); // here: a Kafka consumer may be used by one thread only
        }
    }

    private List<TopicPartition> partitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, KAFKA_CALL);
        if (infos == null || infos.isEmpty()) throw new IllegalStateException("topic " + topic + " does not exist");
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), KAFKA_CALL) < end.getValue()) return false;
        }
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) return; // a tombstone: campaigns are ended, never deleted
        try {
            book.put(Topics.CAMPAIGNS.codec().decode(r.value()));
        } catch (RuntimeException e) { // one unreadable record must not hide the others
            LOG.error("unreadable campaign at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
        }
    }

    private void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
