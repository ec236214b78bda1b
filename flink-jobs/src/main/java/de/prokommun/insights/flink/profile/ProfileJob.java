package de.prokommun.insights.flink.profile;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PersonRecordKeys;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.events.RawRecord;
import de.prokommun.insights.flink.journey.JourneyChange;
import de.prokommun.insights.flink.journey.JourneyLedgerFunction;
import de.prokommun.insights.flink.ledger.ContributionLedger;
import de.prokommun.insights.flink.ledger.ProductGroupCategoriser;
import de.prokommun.insights.flink.ledger.ProductGroupMappingDecoder;
import de.prokommun.insights.flink.ledger.ProductGroups;
import de.prokommun.insights.flink.ledger.SubmittedUnmappedLines;
import de.prokommun.insights.validation.OwnShop;
import de.prokommun.insights.flink.records.PersonRecordBook;
import de.prokommun.insights.flink.runtime.JobEnvironment;
import de.prokommun.insights.flink.runtime.KafkaConnectors;
import de.prokommun.insights.flink.voucher.VoucherCirculation;
import de.prokommun.insights.flink.voucher.VoucherFact;
import de.prokommun.insights.flink.voucher.PersonVoucherChange;
import de.prokommun.insights.flink.voucher.VoucherFactsFunction;
import de.prokommun.insights.flink.voucher.VoucherCutFunction;
import de.prokommun.insights.flink.voucher.VoucherJudge;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Anonymous events → one upsert row per person (profiles topic, Pinot table "profiles") and the contribution
 * deltas of the person's ledger (contributions topic, Pinot table "contributions") and the person's own records
 * (person-records topic, Pinot table "person_records", read only by the resident API). Keyed by pseudonym after one
 * shuffle: {@link RegistrationWait} (events wait for a consented registration) → {@link EventDeduplicator} →
 * {@link ProfileBuilder} (profile, contribution ledger, records) → {@link JourneyLedgerFunction} and
 * {@link VoucherFactsFunction}. The participants' product-group mappings are broadcast to the
 * {@link ProductGroupCategoriser} in front of the shuffle, which puts each purchase's categories on the event, so that
 * the keyed operators have one input each and chain into one task. Gift-voucher facts are judged keyed by
 * voucher ({@link VoucherJudge}), cut per person and month ({@link VoucherCutFunction}) and leave without the pseudonym,
 * keyed by voucher into {@link VoucherCirculation}, whose rows join the contributions.
 * Watermarks follow event time with bounded out-of-orderness and idleness; historical events far behind the
 * watermark are processed like any other (there are no windows to drop them).
 */
public final class ProfileJob {
    private ProfileJob() {}

    public static final String NAME = "profile";

    public static void build(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> anonymous,
                             Source<RawRecord, ?, ?> productGroupMappings, Sink<ProfileRow> profiles,
                             ContributionSinks contributions, Sink<PersonRecord> personRecords,
                             Sink<DeadLetter> deadLetters, ProfileSettings s) {
        SingleOutputStreamOperator<AnonymousEvent> events = env
                .fromSource(anonymous, WatermarkStrategy.noWatermarks(), "anonymous events").uid("anonymous-events-source")
                .process(new AnonymousEventDecoder()).uid("anonymous-event-decoder").name("AnonymousEventDecoder");

        SingleOutputStreamOperator<ProductGroupMapping> mappings = env
                .fromSource(productGroupMappings, WatermarkStrategy.noWatermarks(), "product group mappings")
                .uid("product-group-mappings-source")
                .process(new ProductGroupMappingDecoder()).uid("product-group-mapping-decoder").name("ProductGroupMappingDecoder");
        BroadcastStream<ProductGroupMapping> mappingBroadcast = mappings.broadcast(ProductGroups.DESCRIPTOR);
        // event time is assigned behind the categoriser, so the mapping input never holds the clock back
        SingleOutputStreamOperator<AnonymousEvent> categorised = events.connect(mappingBroadcast)
                .process(new ProductGroupCategoriser(), events.getType())
                .uid("product-group-categoriser").name("ProductGroupCategoriser");

        // One shuffle by pseudonym; the operators behind it are keyed on the same key with the same parallelism,
        // so reinterpretAsKeyedStream passes records on without repartitioning (forward) and they chain: one task,
        // one input, whose checkpoints may overtake the in-flight records (unaligned) instead of waiting for them.
        SingleOutputStreamOperator<AnonymousEvent> registered = categorised.assignTimestampsAndWatermarks(WatermarkStrategy
                        .<AnonymousEvent>forBoundedOutOfOrderness(s.maxOutOfOrderness())
                        .withTimestampAssigner(new EventTimeOf())
                        .withIdleness(s.sourceIdleness()))
                .uid("event-time").name("event time")
                .keyBy(AnonymousEvent::getPseudonym, Types.STRING)
                .process(new RegistrationWait(s.cities(), s.unknownPersonWait(), s.unknownPersonBuffer()), events.getType())
                .uid("registration-wait").name("RegistrationWait");
        SingleOutputStreamOperator<AnonymousEvent> distinct = byPseudonym(registered)
                .process(new EventDeduplicator(s.dedupeHorizon()), events.getType())
                .uid("event-deduplicator").name("EventDeduplicator");
        SingleOutputStreamOperator<ProfileRow> rows = byPseudonym(distinct)
                .process(new ProfileBuilder(s.cities(), new OwnShop(s.portalParticipant())))
                .uid("profile-builder").name("ProfileBuilder + ContributionLedger");
        rows.sinkTo(profiles).uid("profiles-sink").name("profiles");
        // gift vouchers: sold by one person, redeemed by others, so sale and redemptions meet keyed by voucher
        // the person side of vouchers on the same key behind the profile operator (forward, chained), then by voucher
        // each fact is judged by voucher (issue 15: over-redemption, another issuer's sale) before the person's
        // monthly cut, so a fact that does not count uses up nothing of its person's month; then linked by voucher
        SingleOutputStreamOperator<PersonVoucherChange> judged = DataStreamUtils.reinterpretAsKeyedStream(
                        rows.getSideOutput(VoucherFactsFunction.CHANGES), PersonVoucherChange::pseudonym, Types.STRING)
                .process(new VoucherFactsFunction(s.cities())).uid("voucher-facts").name("VoucherFacts")
                .keyBy(PersonVoucherChange::voucherKey, Types.STRING)
                .process(new VoucherJudge()).uid("voucher-judge").name("VoucherJudge");
        SingleOutputStreamOperator<ContributionDelta> circulation = judged
                .keyBy(PersonVoucherChange::pseudonym, Types.STRING)
                .process(new VoucherCutFunction(s.cities())).uid("voucher-cuts").name("VoucherCuts")
                .keyBy(VoucherFact::voucherKey, Types.STRING)
                .process(new VoucherCirculation()).uid("voucher-circulation").name("VoucherCirculation");
        // the journey ledger on the same key behind the profile operator: forward, chained, no shuffle
        DataStream<ContributionDelta> journey = DataStreamUtils.reinterpretAsKeyedStream(
                        rows.getSideOutput(JourneyLedgerFunction.CHANGES), JourneyChange::pseudonym, Types.STRING)
                .process(new JourneyLedgerFunction(s.cities()))
                .uid("journey-ledger").name("JourneyLedger");
        // the unmapped-groups report from every submitted purchase, before the wait for a consented registration, so
        // that it cannot tell profiled from unprofiled residents (issue 15); categories as the categoriser resolved them
        DataStream<ContributionDelta> submitted = categorised
                .process(new SubmittedUnmappedLines(s.cities())).uid("submitted-unmapped-lines").name("SubmittedUnmappedLines");
        // the ledger's sink keeps the uid of the one contributions sink before it, so that its transactions restore
        rows.getSideOutput(ContributionLedger.DELTAS).sinkTo(contributions.ledger()).uid("contributions-sink")
                .name("contributions (ledger)");
        journey.sinkTo(contributions.journey()).uid("journey-contributions-sink").name("contributions (journey)");
        circulation.union(submitted).sinkTo(contributions.others()).uid("other-contributions-sink")
                .name("contributions (vouchers, unmapped groups)");
        rows.getSideOutput(PersonRecordBook.RECORDS).sinkTo(personRecords).uid("person-records-sink").name("person records");

        events.getSideOutput(DeadLetters.TAG).union(mappings.getSideOutput(DeadLetters.TAG), rows.getSideOutput(DeadLetters.TAG),
                        judged.getSideOutput(DeadLetters.TAG), // another shop's voucher id, over-redemptions (issue 15)
                        circulation.getSideOutput(DeadLetters.TAG))
                .sinkTo(deadLetters).uid("dead-letters-sink").name("dead letters");
    }

    /** The stream, already partitioned by pseudonym upstream, as a keyed stream without a new shuffle. */
    private static KeyedStream<AnonymousEvent, String> byPseudonym(DataStream<AnonymousEvent> partitioned) {
        return DataStreamUtils.reinterpretAsKeyedStream(partitioned, AnonymousEvent::getPseudonym, Types.STRING);
    }

    /** Builds the job on the real Kafka topics of the registry. */
    public static void buildOnKafka(StreamExecutionEnvironment env, Settings settings) {
        build(env,
                KafkaConnectors.source(settings, Topics.ANONYMOUS_EVENTS, NAME),
                KafkaConnectors.source(settings, Topics.PRODUCT_GROUP_MAPPINGS, NAME),
                KafkaConnectors.sink(settings, Topics.PROFILES, ProfileRow::getPseudonym, NAME),
                contributionSinks(settings),
                KafkaConnectors.sink(settings, Topics.PERSON_RECORDS, PersonRecordKeys::key, PersonRecordKeys::partitionKey,
                        NAME),
                KafkaConnectors.sink(settings, Topics.DEAD_LETTERS, DeadLetter::getEventId, NAME),
                ProfileSettings.from(settings));
    }

    private static ContributionSinks contributionSinks(Settings settings) {
        SerializableFunction<ContributionDelta, String> key = d -> d.getCity() + "/" + d.getMeasure();
        return new ContributionSinks(
                KafkaConnectors.sink(settings, Topics.CONTRIBUTIONS, key, NAME),
                KafkaConnectors.sink(settings, Topics.CONTRIBUTIONS, key, NAME, "journey"),
                KafkaConnectors.sink(settings, Topics.CONTRIBUTIONS, key, NAME, "others"));
    }

    public static void main(String[] args) throws Exception {
        Settings settings = JobEnvironment.settings(args);
        StreamExecutionEnvironment env = JobEnvironment.create(settings);
        buildOnKafka(env, settings);
        env.execute(NAME);
    }
}
