package de.prokommun.insights.flink.profile;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.flink.state.KeyedStates;
import de.prokommun.insights.flink.state.StateAccessCount;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Second operator of the profile chain, keyed by pseudonym, behind {@link RegistrationWait}: an event with the same
 * participant and event id as one passed on within the dedupe horizon (processing time) is counted once (metric
 * {@code duplicateEvents}) and not passed on.
 * <ul>
 *   <li>Every event passed on is remembered, except erasure and withdrawal: they clear the person's memory and its
 *       cleanup timer instead (after a re-registration the person starts afresh). A replay of a pre-erasure event
 *       never reaches this memory: the anonymiser's erasure tombstone ({@code ResidentCards}, {@code CardResolver})
 *       drops it, and a registration after an erasure is keyed by the next pseudonym generation anyway
 *       (docs/PRIVACY.md, section 22).</li>
 *   <li>One processing-time timer per person, at the earliest expiry, forgets expired ids and moves on.</li>
 * </ul>
 * It sees exactly the events the profile operator processes, in the same order (the wait operator in front passes on
 * only events of registered people, replayed ones behind their registration), so it remembers what the single
 * operator used to remember before the split.
 */
public final class EventDeduplicator extends KeyedProcessFunction<String, AnonymousEvent, AnonymousEvent> {
    private static final long serialVersionUID = 1L;

    private final long horizonMillis;

    private transient KeyedStates states;
    private transient MapState<String, Long> seen;
    private transient ValueState<Long> cleanupAt;
    private transient Counter duplicates;

    public EventDeduplicator(Duration horizon) {
        this.horizonMillis = horizon.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        states = KeyedStates.of(getRuntimeContext());
        seen = states.map("seen", Types.STRING, Types.LONG);
        cleanupAt = states.value("dedupe-timer", Types.LONG);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
    }

    /** Keyed state entries read and written so far by this operator instance (also its metrics). */
    public StateAccessCount stateAccesses() {
        return states.count();
    }

    @Override
    public void processElement(AnonymousEvent event, Context ctx, Collector<AnonymousEvent> out) throws Exception {
        String key = eventKey(event);
        if (seen.contains(key)) {
            duplicates.inc();
            return;
        }
        if (PersonEnds.endsProfiling(event.getPayload())) {
            forgetEverything(ctx);
        } else {
            remember(key, ctx);
        }
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnonymousEvent> out) throws Exception {
        Long at = cleanupAt.value();
        if (at == null || at != timestamp) return;
        long next = Long.MAX_VALUE;
        for (var it = seen.iterator(); it.hasNext(); ) {
            long expiry = it.next().getValue();
            if (expiry <= timestamp) it.remove();
            else next = Math.min(next, expiry);
        }
        if (next == Long.MAX_VALUE) {
            cleanupAt.clear();
            seen.clear(); // empty already; the heap backend would otherwise keep an empty map for the person
        } else {
            ctx.timerService().registerProcessingTimeTimer(next);
            cleanupAt.update(next);
        }
    }

    private static String eventKey(AnonymousEvent e) {
        return e.getParticipant() + '\u001f' + e.getEventId();
    }

    private void remember(String key, Context ctx) throws Exception {
        long expiry = ctx.timerService().currentProcessingTime() + horizonMillis;
        seen.put(key, expiry);
        if (cleanupAt.value() == null) {
            ctx.timerService().registerProcessingTimeTimer(expiry);
            cleanupAt.update(expiry);
        }
    }

    private void forgetEverything(Context ctx) throws Exception {
        Long at = cleanupAt.value();
        if (at != null) ctx.timerService().deleteProcessingTimeTimer(at);
        cleanupAt.clear();
        seen.clear();
    }
}
