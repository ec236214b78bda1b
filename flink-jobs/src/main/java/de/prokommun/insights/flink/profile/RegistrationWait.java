package de.prokommun.insights.flink.profile;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.state.KeyedStates;
import de.prokommun.insights.flink.state.StateAccessCount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * First operator of the profile chain, keyed by pseudonym: passes on only the events of people who registered with
 * analytics consent, and the events that end a profile (erasure, withdrawal), which every later operator must see.
 * <ul>
 *   <li>Events of a pseudonym without a consented registration wait (processing time, bounded in time and number):
 *       a card event resolved by the anonymiser can overtake the registration. After the registration they are
 *       passed on behind it, in arrival order (metric {@code unknownPersonEventsReplayed}); when the wait ends, the
 *       bound is reached, or the person refuses consent or asks for erasure they are dropped (metric
 *       {@code unknownPersonEventsDropped}).</li>
 *   <li>Events of an unregistered pseudonym whose city is not in the catalogue are ignored (metric
 *       {@code ignoredEvents}).</li>
 *   <li>Erasure and withdrawal clear the person's registration mark, waiting events and wait timer.</li>
 * </ul>
 * The registration mark follows exactly the profile operator's "has a profile": set by a consented registration,
 * cleared by erasure or withdrawal. Duplicates are not this operator's business ({@link EventDeduplicator} comes
 * next and sees the events in the order the profile operator will process them, replayed ones included).
 */
public final class RegistrationWait extends KeyedProcessFunction<String, AnonymousEvent, AnonymousEvent> {
    private static final long serialVersionUID = 1L;

    private final CityCatalog cities;
    private final long waitMillis;
    private final int maxWaitingEvents;

    private transient KeyedStates states;
    private transient ValueState<Boolean> registered;
    private transient ListState<AnonymousEvent> waiting;
    private transient ValueState<Long> waitTimer;
    private transient Counter ignored;
    private transient Counter dropped;
    private transient Counter replayed;

    public RegistrationWait(CityCatalog cities) {
        this(cities, FlinkJobsConfig.UNKNOWN_PERSON_WAIT.defaultValue(), FlinkJobsConfig.UNKNOWN_PERSON_BUFFER.defaultValue());
    }

    public RegistrationWait(CityCatalog cities, Duration wait, int maxWaitingEvents) {
        this.cities = cities;
        this.waitMillis = wait.toMillis();
        this.maxWaitingEvents = maxWaitingEvents;
    }

    @Override
    public void open(OpenContext openContext) {
        states = KeyedStates.of(getRuntimeContext());
        registered = states.value("registered", Types.BOOLEAN);
        waiting = states.list("waiting-for-registration", TypeInformation.of(AnonymousEvent.class));
        waitTimer = states.value("wait-timer", Types.LONG);
        ignored = getRuntimeContext().getMetricGroup().counter("ignoredEvents");
        dropped = getRuntimeContext().getMetricGroup().counter("unknownPersonEventsDropped");
        replayed = getRuntimeContext().getMetricGroup().counter("unknownPersonEventsReplayed");
    }

    /** Keyed state entries read and written so far by this operator instance (also its metrics). */
    public StateAccessCount stateAccesses() {
        return states.count();
    }

    @Override
    public void processElement(AnonymousEvent event, Context ctx, Collector<AnonymousEvent> out) throws Exception {
        Object payload = event.getPayload();
        if (Boolean.TRUE.equals(registered.value())) {
            if (PersonEnds.endsProfiling(payload)) registered.clear();
            out.collect(event);
            return;
        }
        if (cities.city(event.getCity()).isEmpty()) {
            ignored.inc();
            return;
        }
        if (PersonEnds.endsProfiling(payload)) {
            dropWaiting(ctx);
            out.collect(event); // the profile operator counts it as ignored; later operators hold nothing of the person
            return;
        }
        if (!PersonEnds.startsProfile(payload)) {
            await(event, ctx);
            return;
        }
        registered.update(true);
        out.collect(event);
        replayWaiting(ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnonymousEvent> out) throws Exception {
        if (timestamp == waitTimerAt()) dropWaiting(ctx);
    }

    private long waitTimerAt() throws Exception {
        Long at = waitTimer.value();
        return at == null ? Long.MIN_VALUE : at;
    }

    private void await(AnonymousEvent event, Context ctx) throws Exception {
        int count = 0;
        for (AnonymousEvent ignoredEvent : waiting.get()) count++;
        if (count >= maxWaitingEvents) {
            dropped.inc();
            return;
        }
        waiting.add(event);
        if (waitTimer.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + waitMillis;
            ctx.timerService().registerProcessingTimeTimer(at);
            waitTimer.update(at);
        }
    }

    private void replayWaiting(Context ctx, Collector<AnonymousEvent> out) throws Exception {
        List<AnonymousEvent> events = new ArrayList<>();
        waiting.get().forEach(events::add);
        clearWaiting(ctx);
        for (AnonymousEvent e : events) {
            replayed.inc();
            out.collect(e);
        }
    }

    private void dropWaiting(Context ctx) throws Exception {
        for (AnonymousEvent ignoredEvent : waiting.get()) dropped.inc();
        clearWaiting(ctx);
    }

    private void clearWaiting(Context ctx) throws Exception {
        Long timer = waitTimer.value();
        if (timer != null) ctx.timerService().deleteProcessingTimeTimer(timer);
        waiting.clear();
        waitTimer.clear();
    }
}
