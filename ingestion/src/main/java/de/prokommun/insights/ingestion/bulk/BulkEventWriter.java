package de.prokommun.insights.ingestion.bulk;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.RecordKeys;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.ingestion.IngestionConfig;
import de.prokommun.insights.ingestion.dedupe.CityRetention;
import de.prokommun.insights.ingestion.events.EventParser;
import de.prokommun.insights.ingestion.events.ParseResult;
import de.prokommun.insights.ingestion.publish.KafkaEventPublisher;
import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.participants.Role;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Bulk history straight into the raw-events topic, without HTTP: for a backfill of years of a city, where one
 * request per thousand events is the slowest part of the import. Every event is checked exactly as
 * {@code POST /api/v1/events} checks it — the sender by its API key (operator keys may not submit), the event by the
 * same {@link EventParser} (contract, strict text, plausibility limits, what the sender may assert) and the city's
 * retention — and written with the ingestion's producer settings (acks=all, idempotent) and record keys.
 * What it does not do: remember recent event ids (a re-used id with another body is not answered 409 here; the
 * importer derives ids from participant and receipt, and the profile job counts a re-sent event once).
 * Sends are asynchronous; {@link #flush} waits until Kafka acknowledged everything written so far.
 */
public final class BulkEventWriter implements AutoCloseable {

    /** Why an event was not written: the HTTP status the endpoint would have answered, each field and reason. */
    public record Refusal(int status, List<Problem> problems) {
        static Refusal of(int status, String field, String reason) {
            return new Refusal(status, List.of(new Problem(field, reason)));
        }

        /** The first field named. */
        public String field() {
            return problems.get(0).field();
        }

        /** Every "field: reason", separated by "; ". */
        public String reason() {
            return String.join("; ", problems.stream().map(p -> p.field() + ": " + p.reason()).toList());
        }
    }

    /** One field and what is wrong with it, in the endpoint's words. */
    public record Problem(String field, String reason) {}

    /** Kafka did not take events that were written: the import must stop (what was acknowledged stays). */
    public static final class NotAcknowledged extends Exception {
        NotAcknowledged(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ParticipantDirectory directory;
    private final EventParser parser;
    private final CityRetention retention;
    private final Clock clock;
    private final Producer<String, byte[]> producer;
    private final Topic<InteractionEvent> topic = Topics.RAW_EVENTS;
    private final String topicName;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public BulkEventWriter(Settings settings, ParticipantDirectory directory, CityRetention retention, Clock clock,
                           Producer<String, byte[]> producer) {
        this.directory = directory;
        this.parser = new EventParser();
        this.retention = retention;
        this.clock = clock;
        this.producer = producer;
        this.topicName = topic.name(settings);
    }

    /**
     * A writer as the ingestion service would check and publish: participants from {@code participants.file},
     * retention from {@code cities.dir} unless {@code ingestion.retention.enforce=false}, the producer from the
     * ingestion's Kafka settings.
     */
    public static BulkEventWriter open(Settings settings) {
        ParticipantDirectory directory = ParticipantDirectory.load(Path.of(settings.get(IngestionConfig.PARTICIPANTS_FILE)));
        CityRetention retention = settings.get(IngestionConfig.RETENTION_ENFORCED)
                ? new CityRetention(Path.of(settings.get(CommonConfig.CITIES_DIR))) : CityRetention.NONE;
        return new BulkEventWriter(settings, directory, retention, Clock.systemUTC(), KafkaEventPublisher.newProducer(settings));
    }

    /** Checks one event of the key's participant and sends it; null when sent, else why not (nothing sent). */
    public Refusal write(String apiKey, JsonObject event) throws NotAcknowledged {
        failIfNotAcknowledged();
        Participant sender = directory.authenticate(apiKey).orElse(null);
        if (sender == null) return Refusal.of(401, "(API key)", "unknown API key");
        if (sender.role() == Role.OPERATOR) return Refusal.of(403, "(API key)", "operator keys cannot submit events");
        ParseResult parsed = parser.parse(event, sender, clock.millis(), clock);
        if (!parsed.isValid()) {
            boolean forbidden = parsed.isForbidden(); // as the endpoint: 403 errors alone when there are any
            List<Problem> problems = parsed.errors().stream().filter(e -> !forbidden || e.isForbidden())
                    .map(e -> new Problem(e.path().isEmpty() ? "(event)" : e.path(), e.reason())).toList();
            return new Refusal(forbidden ? 403 : 400, problems);
        }
        InteractionEvent e = parsed.event();
        CityRetention.Retention kept = retention.of(sender.city());
        if (e.getPayload() instanceof Purchase && kept.expired(Instant.ofEpochMilli(e.getEventTime()), clock.instant())) {
            return Refusal.of(422, "eventTime", kept.outsideReason(Instant.ofEpochMilli(e.getEventTime()), clock.instant()));
        }
        producer.send(new ProducerRecord<>(topicName, RecordKeys.keyOf(e), topic.codec().encode(e)), (metadata, error) -> {
            if (error == null) acknowledged.incrementAndGet();
            else failure.compareAndSet(null, error);
        });
        return null;
    }

    /** Events Kafka acknowledged so far. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Waits until Kafka acknowledged every event written so far. */
    public void flush() throws NotAcknowledged {
        producer.flush();
        failIfNotAcknowledged();
    }

    private void failIfNotAcknowledged() throws NotAcknowledged {
        Exception e = failure.get();
        if (e != null) throw new NotAcknowledged("Kafka did not acknowledge events: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
