package de.prokommun.insights.flink.city;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;

/**
 * How long a city keeps a purchase ({@code "retention": {"purchasesYears": N}} in {@code city.json}): a purchase
 * expires N calendar years after its event time (in the city's zone) and is then retracted like a
 * PurchaseRetracted. A city without the object keeps purchases until they are retracted or the person is erased.
 * The city module reads and checks the field ({@code City.purchaseRetentionYears}).
 */
public record PurchaseRetention(int purchasesYears) implements Serializable {

    private static final String FIELD = "retention";
    private static final String YEARS = "purchasesYears";
    /** No retention configured: purchases never expire. */
    public static final PurchaseRetention NONE = new PurchaseRetention(0);

    public PurchaseRetention {
        if (purchasesYears < 0) throw new IllegalArgumentException(FIELD + "." + YEARS + " must not be negative: " + purchasesYears);
    }

    public boolean expires() {
        return purchasesYears > 0;
    }

    /** When a purchase of this event time expires (epoch ms); Long.MAX_VALUE if never. */
    public long expiryOf(long eventTime, ZoneId zone) {
        if (!expires()) return Long.MAX_VALUE;
        return Instant.ofEpochMilli(eventTime).atZone(zone).plusYears(purchasesYears).toInstant().toEpochMilli();
    }

    /** Whether a purchase of this event time has expired at {@code now} (epoch ms, stream clock). */
    public boolean expired(long eventTime, long now, ZoneId zone) {
        return expiryOf(eventTime, zone) <= now;
    }
}
