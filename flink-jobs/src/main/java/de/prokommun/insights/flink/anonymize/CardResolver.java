package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.events.RawRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by card pseudonym: attributes card-only events to the resident the card is linked to. Events that
 * arrive before their link wait in state (processing time, so historical events are not rejected for being
 * old) and are released when the link arrives, or become dead letters "card not linked to a resident" after
 * the configured wait. An ERASE of the card's resident clears the card's link, waiting events and timer.
 */
public final class CardResolver extends KeyedProcessFunction<String, CardCommand, AnonymousEvent> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "anonymise.card-resolver";
    public static final String NOT_LINKED = "card not linked to a resident";

    private final long waitMillis;
    private transient ValueState<String> resident;
    private transient ListState<CardCommand> waiting;
    private transient ValueState<Long> timer;
    private transient Counter deadLetters;

    public CardResolver(Duration wait) {
        this.waitMillis = wait.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        resident = getRuntimeContext().getState(new ValueStateDescriptor<>("resident", Types.STRING));
        waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", TypeInformation.of(CardCommand.class)));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(CardCommand cmd, Context ctx, Collector<AnonymousEvent> out) throws Exception {
        switch (cmd.kind) {
            case EVENT -> attribute(cmd, ctx, out);
            case LINK -> {
                resident.update(cmd.resident);
                for (CardCommand w : waiting.get()) out.collect(withPseudonym(w.event, cmd.resident));
                clearWaiting(ctx);
            }
            case ERASE -> {
                String linked = resident.value();
                // The card may have passed to another resident since; then it is not this person's to erase.
                if (linked == null || linked.equals(cmd.resident)) {
                    resident.clear();
                    clearWaiting(ctx);
                }
            }
        }
    }

    private void attribute(CardCommand cmd, Context ctx, Collector<AnonymousEvent> out) throws Exception {
        String linked = resident.value();
        if (linked != null) {
            out.collect(withPseudonym(cmd.event, linked));
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        cmd.waitingSince = now;
        waiting.add(cmd);
        if (timer.value() == null) {
            long at = now + waitMillis;
            ctx.timerService().registerProcessingTimeTimer(at);
            timer.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnonymousEvent> out) throws Exception {
        timer.clear();
        List<CardCommand> still = new ArrayList<>();
        for (CardCommand w : waiting.get()) {
            if (w.waitingSince + waitMillis <= timestamp) ctx.output(DeadLetters.TAG, notLinked(w, timestamp));
            else still.add(w);
        }
        waiting.update(still);
        if (!still.isEmpty()) {
            long at = still.get(0).waitingSince + waitMillis;
            ctx.timerService().registerProcessingTimeTimer(at);
            timer.update(at);
        } else {
            waiting.clear();
        }
    }

    private void clearWaiting(Context ctx) throws Exception {
        Long at = timer.value();
        if (at != null) ctx.timerService().deleteProcessingTimeTimer(at);
        timer.clear();
        waiting.clear();
    }

    /** The dead letter holds the pseudonymised event, not the raw one: no direct identifier is kept. */
    private DeadLetter notLinked(CardCommand w, long now) {
        if (deadLetters != null) deadLetters.inc();
        RawRecord origin = new RawRecord(w.sourceTopic, w.sourcePartition, w.sourceOffset,
                Topics.ANONYMOUS_EVENTS.codec().encode(w.event));
        return DeadLetters.of(STAGE, NOT_LINKED + " within " + Duration.ofMillis(waitMillis), origin,
                w.event.getEventId(), w.event.getCity(), now);
    }

    private static AnonymousEvent withPseudonym(AnonymousEvent e, String pseudonym) {
        return AnonymousEvent.newBuilder(e).setPseudonym(pseudonym).build();
    }
}
