package de.prokommun.insights.flink.ledger;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks of the broadcast mapping stream. A two-input operator's event time is the minimum of both inputs, so
 * a mapping stream without watermarks would stop the profile builder's clock (no age roll-over, no persona
 * expiry). Mappings are not event-time data: this input always declares "no earlier events will come".
 */
public final class NeverHoldsBackWatermarks<T> implements WatermarkGenerator<T> {
    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(Long.MAX_VALUE));
    }
}
