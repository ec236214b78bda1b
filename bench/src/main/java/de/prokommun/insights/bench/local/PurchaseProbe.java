package de.prokommun.insights.bench.local;

import de.prokommun.insights.simulator.city.SimParticipant;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.function.LongSupplier;

/**
 * A single-purchase deletion under load: the probe buys once from a shop on a day 400 days back, a day the
 * background feed (restamped to now) never touches, so that the shop's purchase sum of that day is the probes'
 * alone; once the purchase is counted, the shop retracts the receipt, and the time from the retraction's 202
 * until the sum is back where it was is measured. Exact = it returns to exactly that sum.
 */
final class PurchaseProbe {
    record Result(double seconds, boolean exact) {}

    private final LocalCity local;
    private final SimParticipant shop;
    /** The contributions' days are city-local. */
    private final ZoneId zone;
    private final LocalDate day;
    private int sent;

    PurchaseProbe(LocalCity local) {
        this.local = local;
        this.shop = local.aShop();
        this.zone = local.city().city().timeZone();
        this.day = LocalDate.now(zone).minusDays(400);
    }

    /** Seconds from the retraction until the purchase is gone (censored at {@code timeout}), and whether exactly. */
    Result run(String resident, Duration timeout, Duration visibleTimeout) throws Exception {
        String receipt = "DEL-" + resident + "-" + sent++;
        LongSupplier sum = () -> local.purchasesOn(shop.id(), day);
        long before = sum.getAsLong();
        Instant time = day.atTime(12, 0).atZone(zone).toInstant();
        local.post(shop.id(), local.purchase("buy-" + receipt, resident, shop, receipt, time));
        if (FreshnessBenchmark.awaitValue(sum, before + 1, System.nanoTime(), visibleTimeout) >= visibleTimeout.toSeconds()) {
            return new Result(timeout.toSeconds(), true); // never counted: nothing to measure (censored)
        }
        local.post(shop.id(), local.retraction("retract-" + receipt, resident, shop, receipt));
        double seconds = FreshnessBenchmark.awaitValue(sum, before, System.nanoTime(), timeout);
        return new Result(seconds, sum.getAsLong() >= before);
    }
}
