package de.prokommun.insights.contract;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.events.CampaignDelivery;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.events.ErasureMark;
import de.prokommun.insights.events.IngestionRefusal;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.events.ResidentContact;
import java.util.List;

/** The typed registry of every topic: name, serde and retention live here and nowhere else. */
public final class Topics {
    private Topics() {}

    public static final Topic<InteractionEvent> RAW_EVENTS = new Topic<>("raw.events",
            new AvroCodec<>(InteractionEvent.class), Topic.Retention.SHORT,
            "Accepted interaction events as submitted (direct identifiers), keyed by resident or card");
    public static final Topic<AnonymousEvent> ANONYMOUS_EVENTS = new Topic<>("anonymous.events",
            new AvroCodec<>(AnonymousEvent.class).acceptAlso(EarlierSchemas.load(EarlierSchemas.ANONYMOUS_EVENT_1)),
            Topic.Retention.SHORT, "Pseudonymised events, keyed by pseudonym");
    public static final Topic<ProfileRow> PROFILES = new Topic<>("profiles",
            new PinotJsonCodec<>(ProfileRow.class), Topic.Retention.COMPACTED,
            "Upsert rows of the Pinot table profiles, keyed by pseudonym");
    public static final Topic<ContributionDelta> CONTRIBUTIONS = new Topic<>("contributions",
            new PinotAvroCodec<>(ContributionDelta.class), Topic.Retention.TIME,
            "Append-only contribution deltas (no pseudonym) for the Pinot affinity tables");
    public static final Topic<PersonRecord> PERSON_RECORDS = new Topic<>("person-records",
            new PinotJsonCodec<>(PersonRecord.class), Topic.Retention.COMPACTED,
            "Each person's own records (purchases, vouchers, follows ...) for the resident's view and export,"
                    + " keyed pseudonym/record id, all of a person's records in the partition of the pseudonym"
                    + " (PersonRecordKeys); read only by the resident API");
    public static final Topic<ProductGroupMapping> PRODUCT_GROUP_MAPPINGS = new Topic<>("product-group-mappings",
            new AvroCodec<>(ProductGroupMapping.class), Topic.Retention.COMPACTED,
            "Each participant's mapping of its product groups onto the common taxonomy, keyed city/participant/group");
    public static final Topic<DeadLetter> DEAD_LETTERS = new Topic<>("dead-letters",
            new AvroCodec<>(DeadLetter.class), Topic.Retention.SHORT,
            "Records a stage could not process, with the reason");

    public static final Topic<ErasureMark> RESIDENT_ERASURES = new Topic<>("resident-erasures",
            new AvroCodec<>(ErasureMark.class), Topic.Retention.COMPACTED_SHORT,
            "Erasures the resident API remembers to refuse older tokens, keyed city/generation-0 pseudonym; written by"
                    + " the instance that took the erasure and by the anonymise job for every erasure (also one sent"
                    + " straight to ingestion), read in full at start and followed by every instance");

    public static final Topic<IngestionRefusal> INGESTION_REFUSALS = new Topic<>("ingestion-refusals",
            new AvroCodec<>(IngestionRefusal.class), Topic.Retention.SHORT,
            "Requests ingestion refused (asker, route, status, reason, fingerprint; bounded at the source), read by the"
                    + " query service into the operator's audit of refusals; short retention, since a reason may quote"
                    + " what the sender submitted");

    public static final Topic<Campaign> CAMPAIGNS = new Topic<>("campaigns",
            new AvroCodec<>(Campaign.class), Topic.Retention.COMPACTED,
            "Participants' campaigns (audience, offer, channel, status; no personal data), keyed city/campaignId, the"
                    + " newest record is the campaign's state; written by the query service, read by the campaign job");
    public static final Topic<ResidentContact> RESIDENT_CONTACTS = new Topic<>("resident-contacts",
            new AvroCodec<>(ResidentContact.class), Topic.Retention.COMPACTED,
            "Pseudonym -> the portal's resident reference, keyed city/pseudonym, a tombstone on erasure; written by the"
                    + " anonymise job, read only by the campaign job (inside the trust boundary)");
    public static final Topic<CampaignDelivery> PORTAL_OUTBOX = new Topic<>("portal-outbox",
            new AvroCodec<>(CampaignDelivery.class), Topic.Retention.SHORT,
            "Offers the portal is to deliver, keyed city/resident reference (a direct identifier: short retention);"
                    + " written by the campaign job, read only by the portal");

    public static final List<Topic<?>> ALL = List.of(RAW_EVENTS, ANONYMOUS_EVENTS, PROFILES, CONTRIBUTIONS,
            PERSON_RECORDS, PRODUCT_GROUP_MAPPINGS, DEAD_LETTERS, RESIDENT_ERASURES, INGESTION_REFUSALS, CAMPAIGNS,
            RESIDENT_CONTACTS, PORTAL_OUTBOX);
}
