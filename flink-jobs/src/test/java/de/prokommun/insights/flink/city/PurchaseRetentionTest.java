package de.prokommun.insights.flink.city;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.flink.Fixtures;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** city.json "retention": parsing with errors that name the field, and expiry in the city's calendar. */
class PurchaseRetentionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static PurchaseRetention parse(String json) throws Exception {
        return PurchaseRetention.of(JSON.readTree(json), "city.json");
    }

    @Test
    void aCityWithoutRetentionKeepsPurchases() throws Exception {
        PurchaseRetention none = parse("{\"city\":\"x\"}");
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
                .hasMessageContaining("retention.purchaseYears is not a known field");
        assertThatThrownBy(() -> parse("{\"retention\":3}")).hasMessageContaining("retention must be an object");
    }
}
