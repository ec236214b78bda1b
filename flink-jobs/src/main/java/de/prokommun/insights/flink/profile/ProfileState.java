package de.prokommun.insights.flink.profile;

import de.prokommun.insights.flink.ledger.PurchaseTags;

/**
 * One profiled person's anonymous profile in keyed state (a Flink POJO). Exists only while the person has
 * consented to analytics; withdrawal and erasure clear it.
 */
public class ProfileState {
    public String city;
    public Integer birthYear;
    public String gender;
    public String district;
    public String householdType;
    public String[] interests;
    public boolean consentOffers;
    public boolean consentNewsletter;
    public Integer registeredDay;
    public Integer lastActivityDay;
    /** The person's stream clock: the latest event time or watermark seen (epoch ms); never goes back. */
    public long clock;
    /** Behavioural tags and last purchase day, maintained by the contribution ledger. */
    public PurchaseTags purchases = new PurchaseTags();
    /** Version of the last emitted row. */
    public long version;
    /** Fingerprint of the last emitted row without version and updatedAt: a row is emitted only when it changes. */
    public long lastEmittedFingerprint;
    /** Event-time timer for the next re-evaluation of age band and personas, if one is registered. */
    public Long reevaluateAt;
    /** Event-time timer at the earliest expiry of a live purchase under the city's retention, if one is registered. */
    public Long retentionAt;
    /** Version of the last emitted person record (person_records upsert comparison column). */
    public long recordVersion;
    /**
     * Recent activity per signal (parallel arrays, signals sorted; epoch days, oldest first, the newest
     * {@link PersonaRules#maxAtLeast()} within the persona rules' longest window), see {@link ActivityDays}.
     * Kept in the profile value, which every event reads and writes anyway: as a MapState of its own it cost a
     * RocksDB iterator (create, seek, one read per signal) twice per event.
     */
    public String[] activitySignals = new String[0];
    public int[][] activityDays = new int[0][];
    /** The person's standing objections to offers ("all", "participant:<id>", "category:<id>"; sorted; issue 18). */
    public String[] offerObjections = new String[0];

    public ProfileState() {}
}
