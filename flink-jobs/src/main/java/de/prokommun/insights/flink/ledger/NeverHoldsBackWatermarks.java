package de.prokommun.insights.flink.ledger;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks of the broadcast mapping stream. A two-input operator's event time is the minimum over its active
 * inputs, so a mapping stream without watermarks would stop the profile builder's clock (no age roll-over, no
 * persona expiry). Mappings are not event-time data: this input declares itself idle for good, so the event
 * stream alone drives the clock. (Emitting Long.MAX_VALUE instead would be wrong: whenever the event stream went
 * idle, the clock would jump to the end of time and every age would be computed for the year 292 million.)
 */
public final class NeverHoldsBackWatermarks<T> implements WatermarkGenerator<T> {
    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.markIdle();
    }
}
