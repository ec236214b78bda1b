package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.contract.CitySecrets;
import de.prokommun.insights.events.AnonymousCardLinked;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousRegistration;
import de.prokommun.insights.events.ErasureMark;
import de.prokommun.insights.events.ErasureRequested;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by resident pseudonym (generation 0, derived from the resident reference alone): passes the resident's events
 * on under the person's current pseudonym generation and remembers which cards the resident holds, so that a card link
 * reaches the card's key (LINK) and an erasure reaches every card of the person (ERASE).
 * <p>Erasure is final (issue 14, items 6 and 7; docs/PRIVACY.md): an erasure clears the cards and leaves a
 * <em>tombstone</em> for the tombstone horizon (processing time, the dedupe horizon): the erasure's cut-off time, the
 * generation erased, and whether the person has registered again since. While it holds:
 * <ul>
 *   <li>an event whose event time is before the cut-off is dropped (metric {@code eventsBeforeErasureDropped}): a
 *       pre-erasure event replayed by a shop, or a change that raced the erasure, never reaches anyone;</li>
 *   <li>until the person registers again, every other event is dropped (metric
 *       {@code eventsAfterErasureDropped}): nothing sent in the seconds after an erasure attaches to a later
 *       registration;</li>
 *   <li>the registration after the erasure opens the next pseudonym generation ({@link CitySecrets#generationPseudonym}),
 *       so nothing kept anywhere under the erased pseudonym can attach to the new profile.</li>
 * </ul>
 * When the horizon ends, the cut-off is forgotten; the generation stays only while the person is registered in it
 * (it is what their events are pseudonymised with), otherwise the whole tombstone goes. State: the person's card
 * pseudonyms, the generation, and the tombstone with its one timer.
 */
public final class ResidentCards extends KeyedProcessFunction<String, PseudonymisedEvent, AnonymousEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<CardCommand> CARD_COMMANDS = new OutputTag<>("card-commands") {};
    /**
     * Every erasure, whichever way it came (the resident API, or the portal straight through ingestion), as the mark
     * the resident API's shared register reads (topic {@code resident-erasures}, key city/generation-0 pseudonym,
     * erasure time = the erasure event's time, as the resident API writes it): tokens issued before it are refused on
     * every instance (issue 14, item 7). For an erasure through the resident API it repeats that instance's own mark.
     */
    public static final OutputTag<ErasureMark> ERASURE_MARKS = new OutputTag<>("erasure-marks") {};
    /**
     * The person's contact for the campaign job (topic resident-contacts, issue 18): at every registration the
     * reference under the pseudonym of the generation the registration opens or continues, at erasure its removal
     * under the erased generation's pseudonym. So a delivery can only ever reach the generation that is registered.
     */
    public static final OutputTag<ContactChange> CONTACTS = new OutputTag<>("resident-contacts") {};

    private final CitySecrets secrets;
    private final long tombstoneMillis;

    private transient MapState<String, Boolean> cards;
    private transient ValueState<Integer> generation;
    private transient ValueState<Long> erasedBefore;
    private transient ValueState<Boolean> awaitingRegistration;
    private transient ValueState<Long> tombstoneTimer;
    private transient Map<String, Mac> macs;
    private transient Counter beforeErasure;
    private transient Counter afterErasure;

    public ResidentCards(CitySecrets secrets, Duration tombstoneHorizon) {
        this.secrets = secrets;
        this.tombstoneMillis = tombstoneHorizon.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        cards = getRuntimeContext().getMapState(new MapStateDescriptor<>("cards", Types.STRING, Types.BOOLEAN));
        generation = getRuntimeContext().getState(new ValueStateDescriptor<>("generation", Types.INT));
        erasedBefore = getRuntimeContext().getState(new ValueStateDescriptor<>("erased-before", Types.LONG));
        awaitingRegistration = getRuntimeContext().getState(new ValueStateDescriptor<>("awaiting-registration", Types.BOOLEAN));
        tombstoneTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("tombstone-timer", Types.LONG));
        beforeErasure = getRuntimeContext().getMetricGroup().counter("eventsBeforeErasureDropped");
        afterErasure = getRuntimeContext().getMetricGroup().counter("eventsAfterErasureDropped");
    }

    @Override
    public void processElement(PseudonymisedEvent in, Context ctx, Collector<AnonymousEvent> out) throws Exception {
        AnonymousEvent event = in.event;
        Object payload = event.getPayload();
        Long cutOff = erasedBefore.value();
        if (cutOff != null && !(payload instanceof ErasureRequested)) {
            if (event.getEventTime() < cutOff) {
                beforeErasure.inc();
                return;
            }
            if (Boolean.TRUE.equals(awaitingRegistration.value())) {
                if (!(payload instanceof AnonymousRegistration)) {
                    afterErasure.inc();
                    return;
                }
                awaitingRegistration.clear();
                generation.update(Math.min(currentGeneration() + 1, CitySecrets.MAX_GENERATION));
            }
        }
        String pseudonym = pseudonym(event.getCity(), ctx.getCurrentKey());
        if (payload instanceof AnonymousCardLinked link) {
            linkCard(ctx, link.getCardPseudonym(), pseudonym);
            // A replaced card still belongs to the resident: late purchases with it are attributed too.
            if (link.getReplacedCardPseudonym() != null) linkCard(ctx, link.getReplacedCardPseudonym(), pseudonym);
        }
        out.collect(pseudonym.equals(event.getPseudonym()) ? event
                : AnonymousEvent.newBuilder(event).setPseudonym(pseudonym).build());
        if (payload instanceof AnonymousRegistration && in.residentReference != null) {
            ctx.output(CONTACTS, ContactChange.registered(event.getCity(), pseudonym, in.residentReference));
        }
        if (payload instanceof ErasureRequested) {
            ctx.output(CONTACTS, ContactChange.erased(event.getCity(), pseudonym));
            erase(event, pseudonym, ctx);
            ctx.output(ERASURE_MARKS, ErasureMark.newBuilder().setCity(event.getCity())
                    .setPseudonym(ctx.getCurrentKey()).setErasedAt(event.getEventTime()).build());
        }
    }

    private void erase(AnonymousEvent erasure, String pseudonym, Context ctx) throws Exception {
        // The cut-off is the later of the erasure's event and receipt time: an event received before the erasure
        // cannot carry a later event time than the erasure's receipt (beyond ingestion's small clock skew).
        long cutOff = Math.max(erasure.getEventTime(), erasure.getReceivedTime());
        Long earlier = erasedBefore.value();
        for (String card : cards.keys()) ctx.output(CARD_COMMANDS, CardCommand.erase(card, pseudonym, cutOff));
        cards.clear();
        erasedBefore.update(earlier == null ? cutOff : Math.max(earlier, cutOff));
        awaitingRegistration.update(true);
        Long timer = tombstoneTimer.value();
        if (timer != null) ctx.timerService().deleteProcessingTimeTimer(timer);
        long at = ctx.timerService().currentProcessingTime() + tombstoneMillis;
        ctx.timerService().registerProcessingTimeTimer(at);
        tombstoneTimer.update(at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnonymousEvent> out) throws Exception {
        Long at = tombstoneTimer.value();
        if (at == null || at != timestamp) return;
        tombstoneTimer.clear();
        erasedBefore.clear();
        // Not registered again within the horizon: nothing of the person is kept; a later registration starts afresh.
        if (Boolean.TRUE.equals(awaitingRegistration.value())) generation.clear();
        awaitingRegistration.clear();
    }

    private int currentGeneration() throws Exception {
        Integer g = generation.value();
        return g == null ? 0 : g;
    }

    private String pseudonym(String city, String residentPseudonym) throws Exception {
        int g = currentGeneration();
        if (g == 0) return residentPseudonym;
        if (macs == null) macs = new HashMap<>();
        Mac mac = macs.computeIfAbsent(city, c -> secrets.newMac(c)
                .orElseThrow(() -> new IllegalStateException("no secret configured for city '" + c + "'")));
        return CitySecrets.generationPseudonym(mac, residentPseudonym, g);
    }

    private void linkCard(Context ctx, String card, String resident) throws Exception {
        cards.put(card, Boolean.TRUE);
        ctx.output(CARD_COMMANDS, CardCommand.link(card, resident));
    }
}
