package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.events.AnonymousEvent;
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
 * Keyed by card pseudonym: attributes card-only events to the resident the card is linked to. An unlinked card is
 * not an error — people shop with a card before they register it, or never register — so events that arrive
 * before their link wait in state (processing time, so historical events are not rejected for being old), by
 * default as long as the city keeps purchases, and are attributed when the link arrives. Waiting is counted on its
 * own (metrics {@code cardEventsHeld}, {@code cardEventsAttributedLate}, {@code cardEventsExpiredUnlinked},
 * {@code cardEventsOverflowedUnlinked}); a dead letter is a malformed record, never an unlinked card. An ERASE of
 * the card's resident clears the card's link, waiting events and timer, and leaves a tombstone for the tombstone
 * horizon (processing time; docs/PRIVACY.md, "Erasure is final"): the erasure's cut-off time, and whether the card
 * has been linked again since. While it holds, an event of the card from before the cut-off is dropped (metric
 * {@code cardEventsBeforeErasureDropped}), and until the card is linked again its events do not wait but are dropped
 * too (metric {@code cardEventsAfterErasureDropped}): nothing of the erased person, and nothing sent in the seconds
 * after the erasure, attaches to a later registration.
 */
public final class CardResolver extends KeyedProcessFunction<String, CardCommand, AnonymousEvent> {
    private static final long serialVersionUID = 1L;

    private final long waitMillis;
    private final int maxWaiting;
    private transient ValueState<String> resident;
    private transient ListState<CardCommand> waiting;
    private transient ValueState<Integer> waitingCount;
    private transient ValueState<Long> timer;
    private transient Counter held;
    private transient Counter attributedLate;
    private transient Counter expired;
    private transient Counter overflowed;
    private transient ValueState<Long> erasedBefore;
    private transient ValueState<Boolean> awaitingLink;
    private transient ValueState<Long> tombstoneTimer;
    private transient Counter beforeErasure;
    private transient Counter afterErasure;
    private final long tombstoneMillis;

    public CardResolver(Duration wait, int maxWaiting, Duration tombstoneHorizon) {
        this.waitMillis = wait.toMillis();
        this.maxWaiting = maxWaiting;
        this.tombstoneMillis = tombstoneHorizon.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        resident = getRuntimeContext().getState(new ValueStateDescriptor<>("resident", Types.STRING));
        waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", TypeInformation.of(CardCommand.class)));
        waitingCount = getRuntimeContext().getState(new ValueStateDescriptor<>("waiting-count", Types.INT));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
        held = getRuntimeContext().getMetricGroup().counter("cardEventsHeld");
        attributedLate = getRuntimeContext().getMetricGroup().counter("cardEventsAttributedLate");
        expired = getRuntimeContext().getMetricGroup().counter("cardEventsExpiredUnlinked");
        overflowed = getRuntimeContext().getMetricGroup().counter("cardEventsOverflowedUnlinked");
        erasedBefore = getRuntimeContext().getState(new ValueStateDescriptor<>("erased-before", Types.LONG));
        awaitingLink = getRuntimeContext().getState(new ValueStateDescriptor<>("awaiting-link", Types.BOOLEAN));
        tombstoneTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("tombstone-timer", Types.LONG));
        beforeErasure = getRuntimeContext().getMetricGroup().counter("cardEventsBeforeErasureDropped");
        afterErasure = getRuntimeContext().getMetricGroup().counter("cardEventsAfterErasureDropped");
    }

    @Override
    public void processElement(CardCommand cmd, Context ctx, Collector<AnonymousEvent> out) throws Exception {
        switch (cmd.kind) {
            case EVENT -> attribute(cmd, ctx, out);
            case LINK -> {
                awaitingLink.clear();
                resident.update(cmd.resident);
                for (CardCommand w : waiting.get()) {
                    out.collect(withPseudonym(w.event, cmd.resident));
                    attributedLate.inc();
                }
                clearWaiting(ctx);
            }
            case ERASE -> {
                String linked = resident.value();
                // The card may have passed to another resident since; then it is not this person's to erase.
                if (linked == null || linked.equals(cmd.resident)) {
                    resident.clear();
                    clearWaiting(ctx);
                    tombstone(cmd.erasedBefore, ctx);
                }
            }
        }
    }

    private void attribute(CardCommand cmd, Context ctx, Collector<AnonymousEvent> out) throws Exception {
        Long cutOff = erasedBefore.value();
        if (cutOff != null && cmd.event.getEventTime() < cutOff) {
            beforeErasure.inc();
            return;
        }
        if (Boolean.TRUE.equals(awaitingLink.value())) {
            afterErasure.inc();
            return;
        }
        String linked = resident.value();
        if (linked != null) {
            out.collect(withPseudonym(cmd.event, linked));
            return;
        }
        int count = waitingCount.value() == null ? 0 : waitingCount.value();
        if (count >= maxWaiting) {
            overflowed.inc();
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        cmd.waitingSince = now;
        waiting.add(cmd);
        waitingCount.update(count + 1);
        held.inc();
        if (timer.value() == null) {
            long at = now + waitMillis;
            ctx.timerService().registerProcessingTimeTimer(at);
            timer.update(at);
        }
    }

    private void tombstone(long cutOff, Context ctx) throws Exception {
        Long earlier = erasedBefore.value();
        erasedBefore.update(earlier == null ? cutOff : Math.max(earlier, cutOff));
        awaitingLink.update(true);
        Long at = tombstoneTimer.value();
        if (at != null) ctx.timerService().deleteProcessingTimeTimer(at);
        long expiry = ctx.timerService().currentProcessingTime() + tombstoneMillis;
        ctx.timerService().registerProcessingTimeTimer(expiry);
        tombstoneTimer.update(expiry);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnonymousEvent> out) throws Exception {
        Long tombstoneAt = tombstoneTimer.value();
        if (tombstoneAt != null && tombstoneAt == timestamp) {
            tombstoneTimer.clear();
            erasedBefore.clear();
            awaitingLink.clear();
        }
        Long waitAt = timer.value();
        if (waitAt == null || waitAt != timestamp) return;
        timer.clear();
        List<CardCommand> still = new ArrayList<>();
        for (CardCommand w : waiting.get()) {
            if (w.waitingSince + waitMillis <= timestamp) expired.inc();
            else still.add(w);
        }
        if (still.isEmpty()) {
            waiting.clear();
            waitingCount.clear();
            return;
        }
        waiting.update(still);
        waitingCount.update(still.size());
        long at = still.get(0).waitingSince + waitMillis;
        ctx.timerService().registerProcessingTimeTimer(at);
        timer.update(at);
    }

    private void clearWaiting(Context ctx) throws Exception {
        Long at = timer.value();
        if (at != null) ctx.timerService().deleteProcessingTimeTimer(at);
        timer.clear();
        waiting.clear();
        waitingCount.clear();
    }

    private static AnonymousEvent withPseudonym(AnonymousEvent e, String pseudonym) {
        return AnonymousEvent.newBuilder(e).setPseudonym(pseudonym).build();
    }
}
