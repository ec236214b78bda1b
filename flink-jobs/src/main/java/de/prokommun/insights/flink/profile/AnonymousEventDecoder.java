package de.prokommun.insights.flink.profile;

import de.prokommun.insights.contract.MalformedRecordException;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.events.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes anonymous events; undecodable records become dead letters. Events about no person (voucher sales
 * reported without resident or card) carry an empty pseudonym: there is no profile to update, so they are
 * counted ("eventsWithoutPerson") and not passed on.
 */
public final class AnonymousEventDecoder extends ProcessFunction<RawRecord, AnonymousEvent> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "profile";

    private transient Counter withoutPerson;
    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        withoutPerson = getRuntimeContext().getMetricGroup().counter("eventsWithoutPerson");
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<AnonymousEvent> out) {
        AnonymousEvent event;
        try {
            if (raw.value == null) throw new MalformedRecordException("empty record value", null);
            event = Topics.ANONYMOUS_EVENTS.codec().decode(raw.value);
        } catch (RuntimeException e) { // MalformedRecordException, or Avro's own BadHeaderException/AvroRuntimeException
            deadLetters.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, "undecodable AnonymousEvent: " + e.getMessage(), raw,
                    null, null, ctx.timerService().currentProcessingTime()));
            return;
        }
        if (event.getPseudonym() == null || event.getPseudonym().isEmpty()) {
            withoutPerson.inc();
            return;
        }
        out.collect(event);
    }
}
