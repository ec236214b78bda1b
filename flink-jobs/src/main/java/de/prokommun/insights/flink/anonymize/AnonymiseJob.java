package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.events.ErasureMark;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.events.RawRecord;
import de.prokommun.insights.flink.runtime.JobEnvironment;
import de.prokommun.insights.validation.OwnShop;
import de.prokommun.insights.flink.runtime.KafkaConnectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Raw interaction events → pseudonymised anonymous events (keyed by resident pseudonym); card-only events
 * are attributed through card links; registrations and erasures also change the resident's contact (resident-contacts); everything that cannot be processed becomes a dead letter.
 */
public final class AnonymiseJob {
    private AnonymiseJob() {}

    public static final String NAME = "anonymise";

    public static void build(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> raw,
                             Sink<AnonymousEvent> out, Sink<DeadLetter> deadLetters, Sink<ErasureMark> erasureMarks,
                             Sink<ContactChange> contacts, AnonymiseSettings s) {
        SingleOutputStreamOperator<PseudonymisedEvent> pseudonymised = env
                .fromSource(raw, WatermarkStrategy.noWatermarks(), "raw events").uid("raw-events-source")
                .process(new AnonymiseFunction(new Pseudonymizer(s.secrets(), s.cities()), new OwnShop(s.portalParticipant())))
                .uid("pseudonymizer").name("Pseudonymizer");

        SingleOutputStreamOperator<AnonymousEvent> residentEvents = pseudonymised
                .keyBy(e -> e.event.getPseudonym(), Types.STRING)
                .process(new ResidentCards(s.secrets(), s.erasureTombstone())).uid("resident-cards").name("ResidentCards");

        DataStream<CardCommand> cardInput = pseudonymised.getSideOutput(AnonymiseFunction.CARD_ONLY)
                .union(residentEvents.getSideOutput(ResidentCards.CARD_COMMANDS));
        SingleOutputStreamOperator<AnonymousEvent> cardEvents = cardInput
                .keyBy(c -> c.card, Types.STRING)
                .process(new CardResolver(s.cardLinkWait(), s.cardLinkBuffer(), s.erasureTombstone())).uid("card-resolver").name("CardResolver");

        residentEvents.union(cardEvents).sinkTo(out).uid("anonymous-events-sink").name("anonymous events");
        pseudonymised.getSideOutput(DeadLetters.TAG)
                .sinkTo(deadLetters).uid("dead-letters-sink").name("dead letters");
        residentEvents.getSideOutput(ResidentCards.ERASURE_MARKS)
                .sinkTo(erasureMarks).uid("erasure-marks-sink").name("erasure marks");
        residentEvents.getSideOutput(ResidentCards.CONTACTS)
                .sinkTo(contacts).uid("resident-contacts-sink").name("resident contacts");
    }

    /** Builds the job on the real Kafka topics of the registry. */
    public static void buildOnKafka(StreamExecutionEnvironment env, Settings settings) {
        build(env,
                KafkaConnectors.source(settings, Topics.RAW_EVENTS, NAME),
                KafkaConnectors.sink(settings, Topics.ANONYMOUS_EVENTS, AnonymousEvent::getPseudonym, NAME),
                KafkaConnectors.sink(settings, Topics.DEAD_LETTERS, DeadLetter::getEventId, NAME),
                KafkaConnectors.sink(settings, Topics.RESIDENT_ERASURES, m -> m.getCity() + '/' + m.getPseudonym(), NAME),
                KafkaConnectors.tombstoningSink(settings, Topics.RESIDENT_CONTACTS, ContactChange::key,
                        ContactChange::contactOrNull, NAME),
                AnonymiseSettings.from(settings));
    }

    public static void main(String[] args) throws Exception {
        Settings settings = JobEnvironment.settings(args);
        StreamExecutionEnvironment env = JobEnvironment.create(settings);
        buildOnKafka(env, settings);
        env.execute(NAME);
    }
}
