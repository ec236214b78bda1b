package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PersonRecordKeys;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.events.CampaignDelivery;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.events.RawRecord;
import java.util.List;
import de.prokommun.insights.flink.runtime.JobEnvironment;
import de.prokommun.insights.flink.runtime.KafkaConnectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Campaigns (issue 18, docs/CAMPAIGNS.md): profile rows, contacts, purchase records and opened offers, keyed by
 * pseudonym, meet the campaigns (broadcast) in {@link CampaignMatcher}; its offers and withdrawals go keyed by campaign
 * to {@link RecipientCap}, which writes the portal outbox and the resident's own record. Result rows of both go to the
 * contributions. Everything runs on processing time (a campaign runs now); all sinks exactly-once.
 */
public final class CampaignJob {
    private CampaignJob() {}

    public static final String NAME = "campaign";

    public static void build(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> profiles,
                             Source<RawRecord, ?, ?> contacts, Source<RawRecord, ?, ?> personRecords,
                             Source<RawRecord, ?, ?> anonymous, Source<RawRecord, ?, ?> campaigns,
                             Sink<CampaignDelivery> outbox, Sink<ContributionDelta> contributions,
                             Sink<PersonRecord> records, Sink<DeadLetter> deadLetters, CampaignSettings s) {
        List<SingleOutputStreamOperator<PersonSignal>> inputs = List.of(
                signals(env, profiles, PersonSignal.Kind.PROFILE, "profiles"),
                signals(env, contacts, PersonSignal.Kind.CONTACT, "resident-contacts"),
                signals(env, personRecords, PersonSignal.Kind.PURCHASE, "person-records"),
                signals(env, anonymous, PersonSignal.Kind.OPENED, "anonymous-events"));
        DataStream<PersonSignal> signals = inputs.get(0).union(inputs.get(1), inputs.get(2), inputs.get(3));
        SingleOutputStreamOperator<Campaign> decodedCampaigns = env
                .fromSource(campaigns, WatermarkStrategy.noWatermarks(), "campaigns").uid("campaigns-source")
                .process(new CampaignDecoder()).uid("campaign-decoder").name("CampaignDecoder");
        BroadcastStream<Campaign> campaignBroadcast = decodedCampaigns.broadcast(CampaignMatcher.CAMPAIGNS);

        SingleOutputStreamOperator<CampaignStep> steps = signals
                .keyBy(p -> p.pseudonym, Types.STRING)
                .connect(campaignBroadcast)
                .process(new CampaignMatcher(s.cities(), s.maxPerWeek()))
                .uid("campaign-matcher").name("CampaignMatcher");
        SingleOutputStreamOperator<CampaignDelivery> deliveries = steps
                .keyBy(CampaignStep::campaignKey, Types.STRING)
                .process(new RecipientCap(s.cities()))
                .uid("recipient-cap").name("RecipientCap");

        deliveries.sinkTo(outbox).uid("portal-outbox-sink").name("portal outbox");
        steps.getSideOutput(CampaignMatcher.ROWS).union(deliveries.getSideOutput(RecipientCap.ROWS))
                .sinkTo(contributions).uid("campaign-contributions-sink").name("contributions (campaigns)");
        deliveries.getSideOutput(RecipientCap.RECORDS).sinkTo(records).uid("campaign-records-sink").name("person records (campaigns)");
        DataStream<DeadLetter> dead = decodedCampaigns.getSideOutput(DeadLetters.TAG);
        for (SingleOutputStreamOperator<PersonSignal> input : inputs) dead = dead.union(input.getSideOutput(DeadLetters.TAG));
        dead.sinkTo(deadLetters).uid("dead-letters-sink").name("dead letters");
    }

    private static SingleOutputStreamOperator<PersonSignal> signals(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source,
                                                    PersonSignal.Kind kind, String name) {
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), name).uid(name + "-source")
                .process(new SignalDecoder(kind)).uid(name + "-decoder").name(name + " decoder");
    }

    /** Builds the job on the real Kafka topics of the registry. */
    public static void buildOnKafka(StreamExecutionEnvironment env, Settings settings) {
        build(env,
                KafkaConnectors.source(settings, Topics.PROFILES, NAME),
                KafkaConnectors.source(settings, Topics.RESIDENT_CONTACTS, NAME),
                KafkaConnectors.source(settings, Topics.PERSON_RECORDS, NAME),
                KafkaConnectors.source(settings, Topics.ANONYMOUS_EVENTS, NAME),
                KafkaConnectors.source(settings, Topics.CAMPAIGNS, NAME),
                KafkaConnectors.sink(settings, Topics.PORTAL_OUTBOX, d -> d.getCity() + '/' + d.getResident(), NAME),
                KafkaConnectors.sink(settings, Topics.CONTRIBUTIONS, d -> d.getCity() + '/' + d.getMeasure(), NAME),
                KafkaConnectors.sink(settings, Topics.PERSON_RECORDS, PersonRecordKeys::key, PersonRecordKeys::partitionKey, NAME),
                KafkaConnectors.sink(settings, Topics.DEAD_LETTERS, DeadLetter::getEventId, NAME),
                CampaignSettings.from(settings));
    }

    public static void main(String[] args) throws Exception {
        Settings settings = JobEnvironment.settings(args);
        StreamExecutionEnvironment env = JobEnvironment.create(settings);
        buildOnKafka(env, settings);
        env.execute(NAME);
    }
}
