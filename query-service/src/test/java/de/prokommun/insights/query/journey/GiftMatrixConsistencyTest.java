package de.prokommun.insights.query.journey;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.ReleasedCell;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 15, finding 6: the shown gift-voucher links agree with the places' and sellers' own released values. */
class GiftMatrixConsistencyTest {

    private static ReleasedCell shown(String label, long v) {
        return new ReleasedCell(label, v, false, String.valueOf(v));
    }

    private static ReleasedCell suppressed(String label) {
        return new ReleasedCell(label, null, true, "< 10");
    }

    @Test
    void suppressedLinksAreLeftOutAndTheLinksIntoAPlaceNeverExceedItsOwnRedeemedValue() {
        Map<String, ReleasedCell> links = new LinkedHashMap<>();
        links.put("buch→cafe", shown("buch→cafe", 7_000));
        links.put("kino→cafe", shown("kino→cafe", 2_000));
        links.put("bar→cafe", shown("bar→cafe", 4_000));
        links.put("buch→kino", suppressed("buch→kino"));
        links.put("buch→bar", shown("buch→bar", 1_000));
        Map<String, ReleasedCell> redeemed = Map.of("cafe", shown("cafe", 9_500), "bar", suppressed("bar"));
        var out = GiftMatrixConsistency.leftOut(links, redeemed::get, seller -> null);
        // cafe: 7,000 fits, 4,000 would make 11,000 > 9,500, 2,000 fits (9,000)
        assertThat(out).containsExactlyInAnyOrder("buch→kino", "bar→cafe", "buch→bar");
        long intoCafe = links.entrySet().stream().filter(e -> !out.contains(e.getKey()) && e.getKey().endsWith("→cafe"))
                .mapToLong(e -> e.getValue().value()).sum();
        assertThat(intoCafe).isLessThanOrEqualTo(9_500);
    }

    @Test
    void aSellersShownLinksNeverExceedItsSoldValueAndAPlaceOutsideTheAnswerSetsNoBound() {
        Map<String, ReleasedCell> links = new LinkedHashMap<>();
        links.put("buch→cafe", shown("buch→cafe", 3_000));
        links.put("buch→kino", shown("buch→kino", 2_500));
        links.put("buch→bar", shown("buch→bar", 1_000));
        var out = GiftMatrixConsistency.leftOut(links, place -> null, Map.of("buch", shown("buch", 4_200))::get);
        assertThat(out).containsExactly("buch→kino");
        assertThat(GiftMatrixConsistency.leftOut(links, place -> null, seller -> null)).isEmpty();
    }
}
