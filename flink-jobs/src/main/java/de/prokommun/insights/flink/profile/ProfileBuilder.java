package de.prokommun.insights.flink.profile;

import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.validation.OwnShop;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousProfileChange;
import de.prokommun.insights.events.AnonymousRegistration;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.OffersObjected;
import de.prokommun.insights.events.NewsletterSubscribed;
import de.prokommun.insights.events.NewsletterUnsubscribed;
import de.prokommun.insights.events.ParticipantFollowed;
import de.prokommun.insights.events.ParticipantUnfollowed;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.city.CityConfig;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.events.RawRecord;
import de.prokommun.insights.flink.journey.JourneyChange;
import de.prokommun.insights.flink.journey.JourneyLedgerFunction;
import de.prokommun.insights.flink.ledger.ContributionLedger;
import de.prokommun.insights.flink.ledger.ProductGroups;
import de.prokommun.insights.flink.ledger.ReceiptRef;
import de.prokommun.insights.flink.ledger.Segment;
import de.prokommun.insights.flink.records.PersonRecordBook;
import de.prokommun.insights.flink.state.KeyedStates;
import de.prokommun.insights.flink.state.StateAccessCount;
import de.prokommun.insights.flink.voucher.PersonVoucherChange;
import de.prokommun.insights.flink.voucher.VoucherFact;
import de.prokommun.insights.flink.voucher.VoucherFacts;
import de.prokommun.insights.flink.voucher.VoucherFactsFunction;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Third operator of the profile chain ({@link RegistrationWait} → {@link EventDeduplicator} → ProfileBuilder →
 * {@link JourneyLedgerFunction}), keyed by pseudonym: the person's current anonymous profile, emitted as an upsert row
 * whenever it changes, and the person's {@link ContributionLedger}, whose deltas leave on the side output
 * {@link ContributionLedger#DELTAS}. What the journey needs (the event's journey fact or retracted receipts with the
 * segment of the moment, retention expiries, erasure) leaves as {@link JourneyChange}s on the side output
 * {@link JourneyLedgerFunction#CHANGES} to the journey operator, which holds the journey state; gift-voucher facts
 * and erasures leave as {@link PersonVoucherChange}s on {@link VoucherFactsFunction#CHANGES} to the person-keyed
 * voucher operator.
 * A purchase arrives with the categories of its product groups already resolved
 * ({@link de.prokommun.insights.flink.ledger.ProductGroupCategoriser}, in front of the shuffle), so this operator
 * has one input and chains behind the deduplicator. It receives only events of
 * people who registered with analytics consent (waiting and duplicates are settled in front of it), plus erasures
 * and withdrawals.
 * <ul>
 *   <li>Withdrawal of analytics consent and erasure emit a deleted row and the negation of every contribution,
 *       and clear every state and timer of the person here (profile, activity, ledger, records) but the last
 *       versions written ({@link ErasedVersions}, so that a later profile outranks the deletion rows); the operators
 *       in front clear theirs on the same event, the journey and voucher operators on the erasure change.</li>
 *   <li>An event-time timer re-evaluates age band and personas on 1 January of the year the person crosses
 *       an age boundary, and when counted activity leaves a rule's window.</li>
 *   <li>The person's own records (purchases, vouchers, follows, ...) leave on the side output
 *       {@link PersonRecordBook#RECORDS}; retractions, expiry and erasure emit them deleted.</li>
 *   <li>Retention (city.json "retention"): a second event-time timer at the earliest expiry of a live purchase
 *       retracts the expired purchases like a PurchaseRetracted; a purchase that arrives already expired (an old
 *       import) is not recorded at all (metric {@code expiredPurchasesSkipped}).</li>
 * </ul>
 * Ledger and profile live in one operator on purpose: the purchase tags of the row ("category:C:Y",
 * "customer:P", lastPurchaseDay) are exactly the ledger's open distinct counts, kept in step in one state update.
 * Follows and newsletter subscriptions are tags too ("follows:P", "newsletter:N"), set and removed by their events.
 */
public final class ProfileBuilder
        extends KeyedProcessFunction<String, AnonymousEvent, ProfileRow> {
    private static final long serialVersionUID = 1L;
    /** The stage named in this operator's dead letters. */
    public static final String STAGE = "profile";
    private final CityCatalog cities;
    private final OwnShop ownShop;

    private transient KeyedStates states;
    private transient ValueState<ProfileState> profile;
    /** After erasure or withdrawal only this is kept of the person (see {@link ErasedVersions}). */
    private transient ValueState<ErasedVersions> erased;
    private transient ContributionLedger ledger;
    private transient PersonRecordBook records;
    private transient Counter expiredSkipped;
    private transient Counter expiredRetracted;
    private transient Counter ignored;
    private transient Counter foreignReceipts;
    private transient Counter overflowing;

    /** With the default portal participant id ({@link FlinkJobsConfig#PORTAL_PARTICIPANT}). */
    public ProfileBuilder(CityCatalog cities) {
        this(cities, new OwnShop(FlinkJobsConfig.PORTAL_PARTICIPANT.defaultValue()));
    }

    /** {@code ownShop}: who may retract whose receipt (issue 15). */
    public ProfileBuilder(CityCatalog cities, OwnShop ownShop) {
        this.cities = cities;
        this.ownShop = ownShop;
    }

    @Override
    public void open(OpenContext openContext) {
        states = KeyedStates.of(getRuntimeContext());
        profile = states.value("profile", ProfileStateSerializer.INSTANCE);
        erased = states.value("erased-versions", TypeInformation.of(ErasedVersions.class));
        ledger = new ContributionLedger(states);
        records = new PersonRecordBook(states);
        expiredSkipped = getRuntimeContext().getMetricGroup().counter("expiredPurchasesSkipped");
        expiredRetracted = getRuntimeContext().getMetricGroup().counter("expiredPurchasesRetracted");
        ignored = getRuntimeContext().getMetricGroup().counter("ignoredEvents");
        foreignReceipts = getRuntimeContext().getMetricGroup().counter("foreignReceiptEvents");
        overflowing = getRuntimeContext().getMetricGroup().counter("overflowingPurchases");
    }

    /** Keyed state entries read and written so far by this operator instance (also its metrics). */
    public StateAccessCount stateAccesses() {
        return states.count();
    }

    @Override
    public void processElement(AnonymousEvent event, Context ctx, Collector<ProfileRow> out) throws Exception {
        ProfileState state = profile.value();
        Object payload = event.getPayload();
        if (state == null && !PersonEnds.startsProfile(payload)) {
            // erasure or withdrawal of someone without a profile; RegistrationWait in front holds back everything else
            ignored.inc();
            return;
        }
        CityConfig city = cities.city(state != null ? state.city : event.getCity()).orElse(null);
        if (city == null) {
            ignored.inc();
            return;
        }
        if (PersonEnds.endsProfiling(payload)) {
            erase(ctx, state, city.zone(), event, out);
            return;
        }
        if (state != null && payload instanceof Purchase && city.retention().expired(event.getEventTime(),
                Math.max(state.clock, ctx.timerService().currentWatermark()), city.zone())) {
            expiredSkipped.inc(); // an import older than the city keeps purchases: never recorded
            return;
        }
        if (state != null && payload instanceof PurchaseRetracted retracted) {
            // receipts are one participant's (issue 15): a retraction finds the reporter's own receipt only
            String holder = ledger.receiptHolder(event.getParticipant(), retracted.getReceipt());
            if (!ownShop.mayRetract(holder, event.getParticipant())) {
                // a shop retracting another shop's sale of this resident: never applied, visible as a dead letter
                foreignReceipt(ctx, event, "may retract its own receipts only, receipt '" + retracted.getReceipt()
                        + "' was reported by '" + holder + "'");
                return;
            }
            // the portal (privacy centre) retracts on the resident's behalf: applied as the holder's own retraction,
            // so that the ledger, the journey and the records all find the holder's receipt
            if (holder != null && !holder.equals(event.getParticipant())) event = retractedBy(holder, event);
        }
        if (state != null && payload instanceof Purchase purchase && !sumsExact(event, purchase, city, ctx)) return;
        if (state == null) state = startProfile();
        update(event, state, city, ctx, out);
        profile.update(state);
    }

    /** A new profile: its versions continue after those of an erased or withdrawn one of the same pseudonym. */
    private ProfileState startProfile() throws Exception {
        ProfileState state = new ProfileState();
        ErasedVersions before = erased.value();
        if (before != null) {
            state.version = before.profileVersion;
            state.recordVersion = before.recordVersion;
            erased.clear();
        }
        return state;
    }

    /** The event as its holder's retraction (the portal's retraction of a participant's receipt). */
    private static AnonymousEvent retractedBy(String holder, AnonymousEvent event) {
        return AnonymousEvent.newBuilder(event).setParticipant(holder).build();
    }

    /** A retraction naming another participant's receipt of the person: a dead letter, never applied. */
    private void foreignReceipt(Context ctx, AnonymousEvent event, String what) {
        foreignReceipts.inc();
        ctx.output(DeadLetters.TAG, DeadLetter.newBuilder().setStage(STAGE).setSourceTopic("")
                .setReason("forged assertion about another participant: data.receipt: participant '"
                        + event.getParticipant() + "' " + what)
                .setEventId(event.getEventId()).setCity(event.getCity())
                .setFailedAt(ctx.timerService().currentProcessingTime()).build());
    }

    /**
     * Whether every sum the purchase forms fits 64 bits; if not, the purchase becomes a dead letter naming the sum
     * (metric {@code overflowingPurchases}) before anything of it is recorded: never a wrapped sum (issue 14, item 1).
     */
    private boolean sumsExact(AnonymousEvent event, Purchase purchase, CityConfig city, Context ctx)
            throws Exception {
        try {
            ledger.checkExact(event, purchase, city.city(), city.zone(), ProductGroups.categoriesOf(event));
            return true;
        } catch (ArithmeticException e) {
            overflowing.inc();
            RawRecord origin = new RawRecord("", 0, -1, Topics.ANONYMOUS_EVENTS.codec().encode(event));
            ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, "purchase not recorded: " + e.getMessage(), origin,
                    event.getEventId(), event.getCity(), ctx.timerService().currentProcessingTime()));
            return false;
        }
    }

    private void update(AnonymousEvent event, ProfileState state, CityConfig city, Context ctx,
                        Collector<ProfileRow> out) throws Exception {
        boolean newProfile = state.city == null;
        ZoneId zone = city.zone();
        state.city = city.city();
        state.clock = Math.max(state.clock, Math.max(event.getEventTime(), ctx.timerService().currentWatermark()));
        int day = ProfileRows.epochDay(event.getEventTime(), zone);
        apply(event.getPayload(), state, day);
        state.lastActivityDay = state.lastActivityDay == null ? day : Math.max(state.lastActivityDay, day);
        Map<String, int[]> activity = recordActivity(event, day, city, state);

        ProfileRow row = ProfileRows.rowOf(ctx.getCurrentKey(), state, city, activity);
        ProductGroups.Lookup categories = ProductGroups.categoriesOf(event);
        ledger.record(event, new ContributionLedger.Person(state.city, zone, Segment.of(row), newProfile, state.purchases,
                        city.clamps()),
                categories,
                delta -> ctx.output(ContributionLedger.DELTAS, delta));
        JourneyChange journeyChange = JourneyChange.ofEvent(event, state.city, Segment.of(row), city::placeOf, categories);
        if (journeyChange != null) ctx.output(JourneyLedgerFunction.CHANGES, journeyChange);
        VoucherFact voucherFact = VoucherFacts.factOf(event, state.city, zone, Segment.of(row));
        if (voucherFact != null) {
            ctx.output(VoucherFactsFunction.CHANGES, PersonVoucherChange.recorded(ctx.getCurrentKey(), voucherFact));
        }
        state.recordVersion = records.record(event, state.recordVersion, categories, zone, r -> ctx.output(PersonRecordBook.RECORDS, r));
        if (event.getPayload() instanceof Purchase) scheduleRetention(ctx, state, city, event.getEventTime());
        row.setPurchaseTags(state.purchases.list());
        row.setLastPurchaseDay(state.purchases.lastPurchaseDay);

        emitIfChanged(row, state, event.getEventTime(), out);
        reschedule(ctx, state, city, activity);
    }

    private static void apply(Object payload, ProfileState s, int day) {
        if (payload instanceof AnonymousRegistration r) {
            s.birthYear = r.getBirthYear();
            s.gender = r.getGender().name();
            s.district = r.getDistrict();
            s.householdType = r.getHouseholdType().name();
            s.interests = r.getInterests().toArray(new String[0]);
            s.consentOffers = r.getConsents().getOffers();
            s.consentNewsletter = r.getConsents().getNewsletter();
            if (s.registeredDay == null) s.registeredDay = day;
        } else if (payload instanceof AnonymousProfileChange c) {
            if (c.getBirthYear() != null) s.birthYear = c.getBirthYear();
            if (c.getGender() != null) s.gender = c.getGender().name();
            if (c.getDistrict() != null) s.district = c.getDistrict();
            if (c.getHouseholdType() != null) s.householdType = c.getHouseholdType().name();
            if (c.getInterests() != null) s.interests = c.getInterests().toArray(new String[0]);
        } else if (payload instanceof ConsentChanged c) {
            if (c.getOffers() != null) s.consentOffers = c.getOffers();
            if (c.getNewsletter() != null) s.consentNewsletter = c.getNewsletter();
        } else if (payload instanceof ParticipantFollowed f) {
            s.purchases.follows(f.getFollowed(), true);
        } else if (payload instanceof ParticipantUnfollowed f) {
            s.purchases.follows(f.getFollowed(), false);
        } else if (payload instanceof NewsletterSubscribed n) {
            s.purchases.subscribes(n.getNewsletter(), true);
        } else if (payload instanceof NewsletterUnsubscribed n) {
            s.purchases.subscribes(n.getNewsletter(), false);
        } else if (payload instanceof OffersObjected o) {
            s.offerObjections = OfferObjections.apply(s.offerObjections, o);
        }
    }

    /** Adds the event's signals to the person's activity (if within the rules' window); returns the activity. */
    private static Map<String, int[]> recordActivity(AnonymousEvent event, int day, CityConfig city, ProfileState state) {
        Map<String, int[]> activity = ActivityDays.of(state);
        int window = city.personaRules().maxWindowDays();
        int keep = city.personaRules().maxAtLeast();
        int today = ProfileRows.epochDay(state.clock, city.zone());
        if (window == 0 || today - day >= window) return activity;
        List<String> signals = ActivitySignals.of(event);
        if (signals.isEmpty()) return activity;
        for (String signal : signals) {
            int[] days = activity.get(signal);
            int[] grown = days == null ? new int[] {day} : append(days, day);
            activity.put(signal, pruned(grown, today, window, keep));
        }
        ActivityDays.store(state, activity);
        return activity;
    }

    private static int[] append(int[] days, int day) {
        int[] out = Arrays.copyOf(days, days.length + 1);
        out[days.length] = day;
        return out;
    }

    /**
     * The days within the window, the newest {@code keep} of them (the most any persona rule counts): a regular
     * shopper's state stays the same size however long the person has shopped.
     */
    static int[] pruned(int[] days, int today, int window, int keep) {
        int[] kept = Arrays.stream(days).filter(d -> today - d < window).sorted().toArray();
        return kept.length <= keep ? kept : Arrays.copyOfRange(kept, kept.length - keep, kept.length);
    }

    /** Emits the row (version and updatedAt still 0) if its content differs from the last emitted one. */
    private void emitIfChanged(ProfileRow row, ProfileState state, long updatedAt, Collector<ProfileRow> out) {
        long fingerprint = RowFingerprint.of(row);
        if (fingerprint == state.lastEmittedFingerprint) return;
        state.lastEmittedFingerprint = fingerprint;
        state.version = ProfileRows.nextVersion(state.version, updatedAt);
        row.setUpdatedAt(updatedAt);
        row.setVersion(state.version);
        out.collect(row);
    }

    private static void reschedule(Context ctx, ProfileState state, CityConfig city, Map<String, int[]> activity) {
        Long next = ProfileRows.nextReevaluation(state, city, activity);
        moveEventTimer(ctx.timerService(), state.reevaluateAt, next, state.retentionAt);
        state.reevaluateAt = next;
    }

    /** A new live purchase may expire before every other one: the retention timer moves forward to it. */
    private static void scheduleRetention(Context ctx, ProfileState state, CityConfig city, long eventTime) {
        if (!city.retention().expires()) return;
        long expiry = city.retention().expiryOf(eventTime, city.zone());
        if (state.retentionAt != null && state.retentionAt <= expiry) return;
        moveEventTimer(ctx.timerService(), state.retentionAt, expiry, state.reevaluateAt);
        state.retentionAt = expiry;
    }

    /**
     * Moves one of the person's two event-time timers. Flink keeps one timer per key and timestamp, so a timer
     * is deleted only if the other purpose does not share its timestamp.
     */
    private static void moveEventTimer(TimerService timers, Long from, Long to, Long other) {
        if (Objects.equals(from, to)) return;
        if (from != null && !from.equals(other)) timers.deleteEventTimeTimer(from);
        if (to != null) timers.registerEventTimeTimer(to);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ProfileRow> out) throws Exception {
        // processing-time timers belong to RegistrationWait and EventDeduplicator (a state from before the split
        // may still fire one here: nothing to do)
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) return;
        ProfileState state = profile.value();
        if (state == null) return;
        boolean retention = Objects.equals(state.retentionAt, timestamp);
        boolean reevaluate = Objects.equals(state.reevaluateAt, timestamp);
        CityConfig city = cities.city(state.city).orElse(null);
        if (city == null || (!retention && !reevaluate)) return;
        state.clock = Math.max(state.clock, timestamp);
        if (retention) {
            state.retentionAt = null;
            retractExpired(ctx, state, city, timestamp);
        }
        if (reevaluate) {
            state.reevaluateAt = null;
            pruneActivity(city, state);
        }
        Map<String, int[]> activity = ActivityDays.of(state);
        emitIfChanged(ProfileRows.rowOf(ctx.getCurrentKey(), state, city, activity), state, timestamp, out);
        reschedule(ctx, state, city, activity);
        profile.update(state);
    }

    /** Retention: every expired live purchase retracted like a PurchaseRetracted, then the timer moves on. */
    private void retractExpired(OnTimerContext ctx, ProfileState state, CityConfig city, long now) throws Exception {
        String pseudonym = ctx.getCurrentKey();
        ProfileRow row = ProfileRows.rowOf(pseudonym, state, city, ActivityDays.of(state));
        ContributionLedger.Person person = new ContributionLedger.Person(state.city, city.zone(), Segment.of(row), false,
                state.purchases, city.clamps());
        List<ReceiptRef> expired = ledger.retractExpired(now, city.retention(), person,
                delta -> ctx.output(ContributionLedger.DELTAS, delta));
        if (!expired.isEmpty()) {
            ctx.output(JourneyLedgerFunction.CHANGES, JourneyChange.retracted(pseudonym, state.city, person.segment(), expired));
        }
        for (ReceiptRef receipt : expired) {
            state.recordVersion = records.deleteReceipt(pseudonym, receipt, state.city, city.zone(), state.recordVersion, now,
                    r -> ctx.output(PersonRecordBook.RECORDS, r));
        }
        expiredRetracted.inc(expired.size());
        Long next = ledger.earliestExpiry(city.retention(), city.zone());
        moveEventTimer(ctx.timerService(), null, next, state.reevaluateAt);
        state.retentionAt = next;
    }

    private static void pruneActivity(CityConfig city, ProfileState state) {
        int window = city.personaRules().maxWindowDays();
        int keep = city.personaRules().maxAtLeast();
        int today = ProfileRows.epochDay(state.clock, city.zone());
        Map<String, int[]> activity = ActivityDays.of(state);
        activity.replaceAll((signal, days) -> pruned(days, today, window, keep));
        ActivityDays.store(state, activity);
    }

    // ---- erasure and withdrawal ---------------------------------------------------------------------------------

    /**
     * Deletion rows, the negation of every contribution, then nothing of the person but the last versions written
     * ({@link ErasedVersions}): profile, ledger, records and timers are cleared.
     */
    private void erase(Context ctx, ProfileState state, ZoneId zone, AnonymousEvent event,
                       Collector<ProfileRow> out) throws Exception {
        long eventTime = event.getEventTime();
        long profileVersion = ProfileRows.nextVersion(state.version, eventTime);
        out.collect(ProfileRows.deletedRow(ctx.getCurrentKey(), state.city, eventTime, profileVersion));
        ledger.retractEverything(state.city, delta -> ctx.output(ContributionLedger.DELTAS, delta));
        ctx.output(JourneyLedgerFunction.CHANGES, JourneyChange.erased(ctx.getCurrentKey(), state.city));
        ctx.output(VoucherFactsFunction.CHANGES, PersonVoucherChange.erased(ctx.getCurrentKey(), state.city));
        long recordVersion = records.deleteEverything(ctx.getCurrentKey(), state.city, zone, state.recordVersion,
                PersonRecordBook.stampOf(event), r -> ctx.output(PersonRecordBook.RECORDS, r));
        if (state.reevaluateAt != null) ctx.timerService().deleteEventTimeTimer(state.reevaluateAt);
        if (state.retentionAt != null) ctx.timerService().deleteEventTimeTimer(state.retentionAt);
        profile.clear();
        erased.update(new ErasedVersions(profileVersion, recordVersion));
    }
}
