package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.events.AnonymousCardLinked;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ErasureRequested;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by resident pseudonym: passes the resident's events on and remembers which cards the resident holds,
 * so that a card link reaches the card's key (LINK) and an erasure reaches every card of the person (ERASE).
 * State: the person's card pseudonyms, nothing else; cleared on erasure.
 */
public final class ResidentCards extends KeyedProcessFunction<String, PseudonymisedEvent, AnonymousEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<CardCommand> CARD_COMMANDS = new OutputTag<>("card-commands") {};

    private transient MapState<String, Boolean> cards;

    @Override
    public void open(OpenContext openContext) {
        cards = getRuntimeContext().getMapState(new MapStateDescriptor<>("cards", Types.STRING, Types.BOOLEAN));
    }

    @Override
    public void processElement(PseudonymisedEvent in, Context ctx, Collector<AnonymousEvent> out) throws Exception {
        AnonymousEvent event = in.event;
        String resident = ctx.getCurrentKey();
        if (event.getPayload() instanceof AnonymousCardLinked link) {
            linkCard(ctx, link.getCardPseudonym(), resident);
            // A replaced card still belongs to the resident: late purchases with it are attributed too.
            if (link.getReplacedCardPseudonym() != null) linkCard(ctx, link.getReplacedCardPseudonym(), resident);
        }
        out.collect(event);
        if (event.getPayload() instanceof ErasureRequested) {
            for (String card : cards.keys()) ctx.output(CARD_COMMANDS, CardCommand.erase(card, resident));
            cards.clear();
        }
    }

    private void linkCard(Context ctx, String card, String resident) throws Exception {
        cards.put(card, Boolean.TRUE);
        ctx.output(CARD_COMMANDS, CardCommand.link(card, resident));
    }
}
