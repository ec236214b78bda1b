package de.prokommun.insights.bench.pipeline;

import de.prokommun.insights.contract.RecordKeys;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.ingestion.mapping.MappingPublisher;
import de.prokommun.insights.ingestion.events.EventParser;
import de.prokommun.insights.ingestion.events.ParseResult;
import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.simulator.Musterstadt;
import de.prokommun.insights.simulator.SimEvent;
import de.prokommun.insights.simulator.city.SimParticipant;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Raw-topic records exactly as ingestion writes them: the simulator's Musterstadt event stream (registrations,
 * card links, purchases, vouchers, follows, check-ins, consent changes, erasures ...), parsed and validated by
 * ingestion's {@link EventParser} under each event's sender, Avro-encoded with the registry's codec and keyed
 * by {@link RecordKeys}. Kept in memory so every run loads the same records.
 */
final class RawEvents {

    record Raw(String key, byte[] value) {}

    private final List<Raw> records;
    private final Map<String, Integer> types;
    private final List<ProductGroupMapping> mappings;

    private RawEvents(List<Raw> records, Map<String, Integer> types, List<ProductGroupMapping> mappings) {
        this.records = records;
        this.types = types;
        this.mappings = mappings;
    }

    /** The first {@code count} events of {@code residents} residents' stream over the {@code days} days before now. */
    static RawEvents generate(Musterstadt city, int residents, int days, int count, long seed) {
        Instant to = Instant.now().minusSeconds(3600);
        Instant from = to.minusSeconds(days * 86_400L);
        return generate(city.generate(seed, residents, from, to), city, count);
    }

    static RawEvents generate(Iterator<SimEvent> events, Musterstadt city, int count) {
        Map<String, Participant> senders = new HashMap<>();
        for (SimParticipant p : city.participants().all()) {
            senders.put(p.id(), new Participant(p.id(), Musterstadt.CITY, p.role(), p.name()));
        }
        EventParser parser = new EventParser();
        Clock clock = Clock.systemUTC();
        List<Raw> records = new ArrayList<>(count);
        Map<String, Integer> types = new HashMap<>();
        while (records.size() < count && events.hasNext()) {
            SimEvent e = events.next();
            ParseResult parsed = parser.parse(new JsonObject(e.json()), senders.get(e.sender()), System.currentTimeMillis(), clock);
            if (!parsed.isValid()) throw new IllegalStateException("simulated event " + e.eventId() + " rejected: " + parsed.errors());
            InteractionEvent event = parsed.event();
            records.add(new Raw(RecordKeys.keyOf(event), Topics.RAW_EVENTS.codec().encode(event)));
            types.merge(e.type(), 1, Integer::sum);
        }
        return new RawEvents(records, types, mappingsOf(city));
    }

    /** Every shop's mapping of its product groups, as the local mode's shops upload them before their history. */
    private static List<ProductGroupMapping> mappingsOf(Musterstadt city) {
        List<ProductGroupMapping> mappings = new ArrayList<>();
        for (SimParticipant p : city.participants().businesses()) {
            for (var group : p.productGroups()) {
                mappings.add(ProductGroupMapping.newBuilder().setCity(Musterstadt.CITY).setParticipant(p.id())
                        .setProductGroup(group.name()).setCategory(group.category()).setUpdatedAt(0).build());
            }
        }
        return mappings;
    }

    int size() { return records.size(); }

    int mappings() { return mappings.size(); }

    /** The mappings, so that purchases are counted under their categories as in the running city. */
    void loadMappings(String bootstrap, String topic) {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            for (ProductGroupMapping m : mappings) {
                producer.send(new ProducerRecord<>(topic, MappingPublisher.keyOf(m), Topics.PRODUCT_GROUP_MAPPINGS.codec().encode(m)));
            }
            producer.flush();
        }
    }

    Map<String, Integer> types() { return types; }

    /** Sends every record to the topic with an idempotent acks=all producer and waits for all acknowledgements. */
    void load(String bootstrap, String topic) {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            for (Raw r : records) producer.send(new ProducerRecord<>(topic, r.key(), r.value()));
            producer.flush();
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
