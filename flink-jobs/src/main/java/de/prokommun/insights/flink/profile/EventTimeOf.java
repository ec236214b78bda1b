package de.prokommun.insights.flink.profile;

import de.prokommun.insights.events.AnonymousEvent;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** The stream clock is event time: the time the interaction happened, not when it arrived. */
final class EventTimeOf implements SerializableTimestampAssigner<AnonymousEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(AnonymousEvent event, long recordTimestamp) {
        return event.getEventTime();
    }
}
