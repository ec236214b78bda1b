package de.prokommun.insights.flink.events;

import de.prokommun.insights.events.DeadLetter;
import java.nio.ByteBuffer;
import org.apache.flink.util.OutputTag;

/** Builds dead letters; the side-output tag every operator uses for records it cannot process. */
public final class DeadLetters {
    private DeadLetters() {}

    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

    public static DeadLetter of(String stage, String reason, RawRecord origin, String eventId, String city, long now) {
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setReason(reason)
                .setSourceTopic(origin.topic == null ? "" : origin.topic)
                .setSourcePartition(origin.partition)
                .setSourceOffset(origin.offset)
                .setEventId(eventId)
                .setCity(city)
                .setPayload(origin.value == null ? null : ByteBuffer.wrap(origin.value))
                .setFailedAt(now)
                .build();
    }
}
