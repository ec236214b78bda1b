package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.contract.MalformedRecordException;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.events.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes a raw record and pseudonymises it; resident events go to the main output, card-only events to
 * {@link #CARD_ONLY}. Undecodable bytes, unknown cities and invalid content become
 * dead letters with the reason; the job goes on.
 */
public final class AnonymiseFunction extends ProcessFunction<RawRecord, PseudonymisedEvent> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "anonymise";
    /** Events that name only a card leave on this side output, bound for the card resolver. */
    public static final OutputTag<CardCommand> CARD_ONLY = new OutputTag<>("card-only") {};

    private final Pseudonymizer pseudonymizer;
    private transient Counter deadLetters;

    public AnonymiseFunction(Pseudonymizer pseudonymizer) {
        this.pseudonymizer = pseudonymizer;
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
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
