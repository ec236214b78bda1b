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
    /** Musterstadt's zone: the contributions' days are city-local. */
    private static final ZoneId CITY_ZONE = ZoneId.of("Europe/Berlin");

    record Result(double seconds, boolean exact) {}

    private final LocalCity local;
    private final SimParticipant shop;
    private final LocalDate day = LocalDate.now(CITY_ZONE).minusDays(400);
    private int sent;

    PurchaseProbe(LocalCity local) {
        this.local = local;
        this.shop = local.aShop();
    }

    /** Seconds from the retraction until the purchase is gone (censored at {@code timeout}), and whether exactly. */
    Result run(String resident, Duration timeout, Duration visibleTimeout) throws Exception {
        String receipt = "DEL-" + resident + "-" + sent++;
        LongSupplier sum = () -> local.purchasesOn(shop.id(), day);
        long before = sum.getAsLong();
        Instant time = day.atTime(12, 0).atZone(CITY_ZONE).toInstant();
        local.post(shop.id(), local.purchase("buy-" + receipt, resident, shop, receipt, time));
        if (await(sum, before + 1, System.nanoTime(), visibleTimeout) >= visibleTimeout.toSeconds()) {
            return new Result(timeout.toSeconds(), true); // never counted: nothing to measure (censored)
        }
        local.post(shop.id(), local.retraction("retract-" + receipt, resident, shop, receipt));
        double seconds = await(sum, before, System.nanoTime(), timeout);
        return new Result(seconds, sum.getAsLong() >= before);
    }

    /** Seconds until the value is {@code expected}, or the timeout in seconds. */
    private static double await(LongSupplier value, long expected, long since, Duration timeout) throws InterruptedException {
        long deadline = since + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (value.getAsLong() == expected) return (System.nanoTime() - since) / 1e9;
            } catch (RuntimeException transientFailure) {
                // Pinot may briefly fail a query while it commits a segment; keep polling
            }
            Thread.sleep(20);
        }
        return timeout.toNanos() / 1e9;
    }
}
