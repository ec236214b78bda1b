package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.contract.MalformedRecordException;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.validation.OwnShop;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.events.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes a raw record and pseudonymises it; resident events go to the main output, card-only events to
 * {@link #CARD_ONLY}. Undecodable bytes, unknown cities, invalid content and forged assertions about another
 * participant ({@link OwnShop}) become dead letters with the reason; the job goes on.
 */
public final class AnonymiseFunction extends ProcessFunction<RawRecord, PseudonymisedEvent> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "anonymise";
    /** Events that name only a card leave on this side output, bound for the card resolver. */
    public static final OutputTag<CardCommand> CARD_ONLY = new OutputTag<>("card-only") {};

    private final Pseudonymizer pseudonymizer;
    private final OwnShop ownShop;
    private transient Counter deadLetters;
    private transient Counter forged;

    /** With the default portal participant id ({@link FlinkJobsConfig#PORTAL_PARTICIPANT}). */
    public AnonymiseFunction(Pseudonymizer pseudonymizer) {
        this(pseudonymizer, new OwnShop(FlinkJobsConfig.PORTAL_PARTICIPANT.defaultValue()));
    }

    /** {@code ownShop}: a participant asserts facts about its own shop only (checked again here, after ingestion). */
    public AnonymiseFunction(Pseudonymizer pseudonymizer, OwnShop ownShop) {
        this.pseudonymizer = pseudonymizer;
        this.ownShop = ownShop;
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
        forged = getRuntimeContext().getMetricGroup().counter("forgedAssertions");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<PseudonymisedEvent> out) {
        InteractionEvent event;
        try {
            if (raw.value == null) throw new MalformedRecordException("empty record value", null);
            event = Topics.RAW_EVENTS.codec().decode(raw.value);
        } catch (RuntimeException e) { // MalformedRecordException, or Avro's own BadHeaderException/AvroRuntimeException
            reject(ctx, "undecodable InteractionEvent: " + e.getMessage(), raw, null, null);
            return;
        }
        // An event that reached the raw topic by another path than ingestion (which answers it with 403) and asserts
        // something about another participant's shop is never counted (docs/PRIVACY.md, participants as adversaries).
        OwnShop.Violation forgery = ownShop.check(event.getPayload(), event.getParticipant()).orElse(null);
        if (forgery != null) {
            if (forged != null) forged.inc();
            reject(ctx, "forged assertion about another participant: " + forgery, raw, event.getEventId(), event.getCity());
            return;
        }
        try {
            PseudonymisedEvent result = pseudonymizer.pseudonymise(event);
            result.sourceTopic = raw.topic;
            result.sourcePartition = raw.partition;
            result.sourceOffset = raw.offset;
            if (result.isCardOnly()) ctx.output(CARD_ONLY, CardCommand.event(result));
            else out.collect(result);
        } catch (InvalidEventException e) {
            reject(ctx, e.getMessage(), raw, event.getEventId(), event.getCity());
        }
    }

    private void reject(Context ctx, String reason, RawRecord raw, String eventId, String city) {
        if (deadLetters != null) deadLetters.inc();
        ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, reason, raw, eventId, city, ctx.timerService().currentProcessingTime()));
    }
}
