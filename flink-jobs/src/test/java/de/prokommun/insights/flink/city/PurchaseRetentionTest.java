package de.prokommun.insights.flink.city;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.flink.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** city.json "retention" as the jobs get it through the city module (errors name the field), and expiry in the city's calendar. */
class PurchaseRetentionTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path dir;

    /** The retention of a city.json whose other fields are {@code fields} ("{}" or {"retention": ...}). */
    private PurchaseRetention parse(String fields) throws Exception {
        Path city = Files.createDirectories(dir.resolve("x"));
        String rest = fields.strip().substring(1, fields.strip().length() - 1);
        Files.writeString(city.resolve("city.json"), "{\"city\": \"x\", \"districts\": {\"1\": \"A\"},"
                + " \"ageBands\": [{\"band\": \"all\", \"from\": 0, \"to\": 150}]" + (rest.isBlank() ? "" : ", " + rest) + "}");
        return CityCatalog.loadCity(city).retention();
    }

    @Test
    void aCityWithoutRetentionKeepsPurchases() throws Exception {
        PurchaseRetention none = parse("{}");
        assertThat(none.expires()).isFalse();
        assertThat(none.expiryOf(0L, BERLIN)).isEqualTo(Long.MAX_VALUE);
        assertThat(none.expired(0L, Long.MAX_VALUE - 1, BERLIN)).isFalse();
    }

    @Test
    void musterstadtKeepsPurchasesThreeYears() {
        assertThat(Fixtures.cities().city("musterstadt").orElseThrow().retention().purchasesYears()).isEqualTo(3);
    }

    @Test
    void aPurchaseExpiresThatManyCalendarYearsLaterInTheCitysZone() throws Exception {
        PurchaseRetention three = parse("{\"retention\":{\"purchasesYears\":3}}");
        long bought = ZonedDateTime.of(2024, 2, 29, 18, 30, 0, 0, BERLIN).toInstant().toEpochMilli();
        long expiry = ZonedDateTime.of(2027, 2, 28, 18, 30, 0, 0, BERLIN).toInstant().toEpochMilli();
        assertThat(three.expiryOf(bought, BERLIN)).isEqualTo(expiry);
        assertThat(three.expired(bought, expiry - 1, BERLIN)).isFalse();
        assertThat(three.expired(bought, expiry, BERLIN)).isTrue();
    }

    @Test
    void badRetentionsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> parse("{\"retention\":{\"purchasesYears\":0}}"))
                .hasMessageContaining("retention.purchasesYears").hasMessageContaining("positive");
        assertThatThrownBy(() -> parse("{\"retention\":{\"purchasesYears\":\"3\"}}"))
                .hasMessageContaining("retention.purchasesYears");
        assertThatThrownBy(() -> parse("{\"retention\":{\"purchaseYears\":3}}"))
                .hasMessageContaining("'retention.purchaseYears' is not a known field");
        assertThatThrownBy(() -> parse("{\"retention\":3}")).hasMessageContaining("'retention' must be an object");
    }
}
