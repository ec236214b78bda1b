package de.prokommun.insights.query.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.ReleasedCell;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GiftMatrixBoundTest {

    private static ReleasedCell value(String label, long v) {
        return new ReleasedCell(label, v, false, String.valueOf(v));
    }

    private static ReleasedCell suppressed(String label) {
        return new ReleasedCell(label, null, true, "weniger als 10");
    }

    @Test
    void suppressedLinksAreLeftOutAndLinksThatFitAreShownAsReleased() {
        Map<String, ReleasedCell> links = new LinkedHashMap<>();
        links.put("a→b", value("a→b", 700));
        links.put("c→b", value("c→b", 300));
        links.put("a→c", suppressed("a→c"));
        Map<String, ReleasedCell> redeemed = Map.of("b", value("b", 1_000));
        assertThat(GiftMatrixBound.shown(links, redeemed::get)).containsExactly(Map.entry("a→b", 700L), Map.entry("c→b", 300L));
    }

    @Test
    void linksIntoOnePlaceNeverAddUpToMoreThanItsOwnReleasedValueAndStayVisible() {
        // the probe of issue 15: 30.7M of links into a shop whose own value is far smaller
        Map<String, ReleasedCell> links = new LinkedHashMap<>();
        links.put("a→shop", value("a→shop", 20_000_000));
        links.put("b→shop", value("b→shop", 10_700_000));
        links.put("a→other", value("a→other", 5_000));
        Map<String, ReleasedCell> redeemed = Map.of("shop", value("shop", 2_300_000), "other", value("other", 4_000));
        Map<String, Long> shown = GiftMatrixBound.shown(links, redeemed::get);
        assertThat(shown).containsOnlyKeys("a→shop", "b→shop", "a→other");
        assertThat(shown.get("a→shop") + shown.get("b→shop")).isLessThanOrEqualTo(2_300_000).isGreaterThan(2_299_998);
        assertThat(shown.get("a→shop")).isEqualTo(20_000_000L * 2_300_000 / 30_700_000);
        assertThat(shown.get("a→other")).as("one link larger than its place: shown at the place's value").isEqualTo(4_000);
    }

    @Test
    void aPlaceWhoseOwnValueIsSuppressedShowsNoLinkAndAPlaceNotInTheAnswerSetsNoBound() {
        Map<String, ReleasedCell> links = new LinkedHashMap<>();
        links.put("a→small", value("a→small", 50_000));
        links.put("small→x", value("small→x", 9_000_000));
        Map<String, ReleasedCell> redeemed = Map.of("small", suppressed("small"));
        assertThat(GiftMatrixBound.shown(links, redeemed::get)).containsExactly(Map.entry("small→x", 9_000_000L));
    }

    @Test
    void aLabelWithoutArrowIsRefusedNamingIt() {
        assertThatThrownBy(() -> GiftMatrixBound.placeOf("ab")).hasMessageContaining("'→'").hasMessageContaining("ab");
    }

    @Test
    void scalingDoesNotOverflow() {
        assertThat(GiftMatrixBound.scaled(Long.MAX_VALUE / 2, Long.MAX_VALUE / 4, Long.MAX_VALUE / 2 + 1))
                .isLessThanOrEqualTo(Long.MAX_VALUE / 4);
    }
}
