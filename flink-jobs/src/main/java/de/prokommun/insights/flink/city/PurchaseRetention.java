package de.prokommun.insights.flink.city;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Iterator;

/**
 * How long a city keeps a purchase ({@code "retention": {"purchasesYears": N}} in {@code city.json}): a purchase
 * expires N calendar years after its event time (in the city's zone) and is then retracted like a
 * PurchaseRetracted. A city without the object keeps purchases until they are retracted or the person is erased.
 */
public record PurchaseRetention(int purchasesYears) implements Serializable {

    public static final String FIELD = "retention";
    private static final String YEARS = "purchasesYears";
    /** No retention configured: purchases never expire. */
    public static final PurchaseRetention NONE = new PurchaseRetention(0);

    public PurchaseRetention {
        if (purchasesYears < 0) throw new IllegalArgumentException(FIELD + "." + YEARS + " must not be negative: " + purchasesYears);
    }

    /** The retention of a parsed city.json; {@code source} names the file in errors. */
    public static PurchaseRetention of(JsonNode cityJson, String source) {
        JsonNode retention = cityJson.get(FIELD);
        if (retention == null || retention.isNull()) return NONE;
        if (!retention.isObject()) throw new IllegalArgumentException(source + ": " + FIELD + " must be an object");
        for (Iterator<String> it = retention.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!YEARS.equals(name) && !"comment".equals(name)) {
                throw new IllegalArgumentException(source + ": " + FIELD + "." + name + " is not a known field (known: "
                        + YEARS + ")");
            }
        }
        JsonNode years = retention.get(YEARS);
        if (years == null || !years.isInt() || years.asInt() < 1) {
            throw new IllegalArgumentException(source + ": " + FIELD + "." + YEARS + " must be a positive integer");
        }
        return new PurchaseRetention(years.asInt());
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
