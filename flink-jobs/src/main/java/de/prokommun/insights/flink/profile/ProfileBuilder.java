package de.prokommun.insights.flink.profile;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousProfileChange;
import de.prokommun.insights.events.AnonymousRegistration;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.city.CityConfig;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by pseudonym: the person's current anonymous profile, emitted as an upsert row whenever it changes.
 * <ul>
 *   <li>Only people who registered with analytics consent are profiled; other events are counted as ignored.</li>
 *   <li>Duplicates (same participant and event id within the dedupe horizon) are counted once.</li>
 *   <li>Withdrawal of analytics consent and erasure emit a deleted row and clear every state and timer of the
 *       person (profile, activity, dedupe memory).</li>
 *   <li>An event-time timer re-evaluates age band and personas on 1 January of the year the person crosses
 *       an age boundary, and when counted activity leaves a rule's window.</li>
 * </ul>
 */
public final class ProfileBuilder extends KeyedProcessFunction<String, AnonymousEvent, ProfileRow> {
    private static final long serialVersionUID = 1L;
    /** Activity kept per signal, newest first: enough for any sensible "atLeast". */
    static final int MAX_ACTIVITY_PER_SIGNAL = 64;

    private final CityCatalog cities;
    private final long dedupeHorizonMillis;

    private transient ValueState<ProfileState> profile;
    private transient MapState<String, int[]> activity;
    private transient MapState<String, Long> seen;
    private transient ValueState<Long> dedupeTimer;
    private transient Counter ignored;
    private transient Counter duplicates;

    public ProfileBuilder(CityCatalog cities, Duration dedupeHorizon) {
        this.cities = cities;
        this.dedupeHorizonMillis = dedupeHorizon.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        profile = getRuntimeContext().getState(new ValueStateDescriptor<>("profile", TypeInformation.of(ProfileState.class)));
        activity = getRuntimeContext().getMapState(new MapStateDescriptor<>("activity", Types.STRING,
                TypeInformation.of(int[].class)));
        seen = getRuntimeContext().getMapState(new MapStateDescriptor<>("seen", Types.STRING, Types.LONG));
        dedupeTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("dedupe-timer", Types.LONG));
        ignored = getRuntimeContext().getMetricGroup().counter("ignoredEvents");
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
    }

    @Override
    public void processElement(AnonymousEvent event, Context ctx, Collector<ProfileRow> out) throws Exception {
        ProfileState state = profile.value();
        Object payload = event.getPayload();
        CityConfig city = cities.city(state != null ? state.city : event.getCity()).orElse(null);
        if (city == null) {
            ignored.inc();
            return;
        }
        if (state == null) {
            if (!(payload instanceof AnonymousRegistration r) || !r.getConsents().getAnalytics()) {
                ignored.inc();
                return;
            }
        }
        if (isDuplicate(event, ctx)) {
            duplicates.inc();
            return;
        }
        if (withdrawsConsent(payload) || payload instanceof ErasureRequested) {
            erase(ctx, state, event.getEventTime(), out);
            return;
        }
        if (state == null) state = new ProfileState();
        ZoneId zone = city.zone();
        state.city = city.city();
        state.clock = Math.max(state.clock, Math.max(event.getEventTime(), ctx.timerService().currentWatermark()));
        apply(payload, state, ProfileRows.epochDay(event.getEventTime(), zone));
        int day = ProfileRows.epochDay(event.getEventTime(), zone);
        state.lastActivityDay = state.lastActivityDay == null ? day : Math.max(state.lastActivityDay, day);
        recordActivity(event, day, city, state);
        emitIfChanged(ctx.getCurrentKey(), state, city, event.getEventTime(), out);
        reschedule(ctx, state, city);
        profile.update(state);
        remember(event, ctx);
    }

    private static boolean withdrawsConsent(Object payload) {
        if (payload instanceof ConsentChanged c) return Boolean.FALSE.equals(c.getAnalytics());
        return payload instanceof AnonymousRegistration r && !r.getConsents().getAnalytics();
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
        }
    }

    private void recordActivity(AnonymousEvent event, int day, CityConfig city, ProfileState state) throws Exception {
        int window = city.personaRules().maxWindowDays();
        int today = ProfileRows.epochDay(state.clock, city.zone());
        if (window == 0 || today - day >= window) return;
        for (String signal : ActivitySignals.of(event)) {
            int[] days = activity.get(signal);
            int[] grown = days == null ? new int[] {day} : append(days, day);
            activity.put(signal, pruned(grown, today, window));
        }
    }

    private static int[] append(int[] days, int day) {
        int[] out = Arrays.copyOf(days, days.length + 1);
        out[days.length] = day;
        return out;
    }

    private static int[] pruned(int[] days, int today, int window) {
        int[] kept = Arrays.stream(days).filter(d -> today - d < window).sorted().toArray();
        return kept.length <= MAX_ACTIVITY_PER_SIGNAL ? kept
                : Arrays.copyOfRange(kept, kept.length - MAX_ACTIVITY_PER_SIGNAL, kept.length);
    }

    private Map<String, int[]> activityMap() throws Exception {
        Map<String, int[]> map = new HashMap<>();
        for (Map.Entry<String, int[]> e : activity.entries()) map.put(e.getKey(), e.getValue());
        return map;
    }

    private void emitIfChanged(String pseudonym, ProfileState state, CityConfig city, long updatedAt,
                               Collector<ProfileRow> out) throws Exception {
        ProfileRow row = ProfileRows.rowOf(pseudonym, state, city, activityMap());
        String content = row.toString();
        if (content.equals(state.lastEmitted)) return;
        state.lastEmitted = content;
        state.version = ProfileRows.nextVersion(state.version, updatedAt);
        row.setUpdatedAt(updatedAt);
        row.setVersion(state.version);
        out.collect(row);
    }

    private void reschedule(Context ctx, ProfileState state, CityConfig city) throws Exception {
        Long next = ProfileRows.nextReevaluation(state, city, activityMap());
        if (java.util.Objects.equals(next, state.reevaluateAt)) return;
        if (state.reevaluateAt != null) ctx.timerService().deleteEventTimeTimer(state.reevaluateAt);
        if (next != null) ctx.timerService().registerEventTimeTimer(next);
        state.reevaluateAt = next;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ProfileRow> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            forgetExpiredEventIds(ctx, timestamp);
            return;
        }
        ProfileState state = profile.value();
        if (state == null || state.reevaluateAt == null || state.reevaluateAt != timestamp) return;
        CityConfig city = cities.city(state.city).orElse(null);
        if (city == null) return;
        state.reevaluateAt = null;
        state.clock = Math.max(state.clock, timestamp);
        pruneActivity(city, state);
        emitIfChanged(ctx.getCurrentKey(), state, city, timestamp, out);
        reschedule(ctx, state, city);
        profile.update(state);
    }

    private void pruneActivity(CityConfig city, ProfileState state) throws Exception {
        int window = city.personaRules().maxWindowDays();
        int today = ProfileRows.epochDay(state.clock, city.zone());
        for (Map.Entry<String, int[]> e : activityMap().entrySet()) {
            int[] kept = pruned(e.getValue(), today, window);
            if (kept.length == 0) activity.remove(e.getKey());
            else activity.put(e.getKey(), kept);
        }
    }

    // ---- de-duplication: (participant, eventId) remembered for the horizon, in processing time ----------------

    private static String eventKey(AnonymousEvent e) {
        return e.getParticipant() + '\u001f' + e.getEventId();
    }

    private boolean isDuplicate(AnonymousEvent event, Context ctx) throws Exception {
        return seen.contains(eventKey(event));
    }

    private void remember(AnonymousEvent event, Context ctx) throws Exception {
        long expiry = ctx.timerService().currentProcessingTime() + dedupeHorizonMillis;
        seen.put(eventKey(event), expiry);
        if (dedupeTimer.value() == null) {
            ctx.timerService().registerProcessingTimeTimer(expiry);
            dedupeTimer.update(expiry);
        }
    }

    private void forgetExpiredEventIds(OnTimerContext ctx, long now) throws Exception {
        dedupeTimer.clear();
        long next = Long.MAX_VALUE;
        for (var it = seen.iterator(); it.hasNext(); ) {
            long expiry = it.next().getValue();
            if (expiry <= now) it.remove();
            else next = Math.min(next, expiry);
        }
        if (next != Long.MAX_VALUE) {
            ctx.timerService().registerProcessingTimeTimer(next);
            dedupeTimer.update(next);
        }
    }

    // ---- erasure and withdrawal ---------------------------------------------------------------------------------

    private void erase(Context ctx, ProfileState state, long eventTime, Collector<ProfileRow> out) throws Exception {
        if (state == null) {
            ignored.inc();
            return;
        }
        out.collect(ProfileRows.deletedRow(ctx.getCurrentKey(), state.city, eventTime,
                ProfileRows.nextVersion(state.version, eventTime)));
        if (state.reevaluateAt != null) ctx.timerService().deleteEventTimeTimer(state.reevaluateAt);
        Long dedupe = dedupeTimer.value();
        if (dedupe != null) ctx.timerService().deleteProcessingTimeTimer(dedupe);
        profile.clear();
        activity.clear();
        seen.clear();
        dedupeTimer.clear();
    }
}
