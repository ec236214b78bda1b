package de.prokommun.insights.query;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.ReleasedCell;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A released cell in an answer equals, field by field, what an independent DisclosureControl released. */
final class ReleasedCells {
    private ReleasedCells() {}

    static void assertCells(JsonArray actual, List<ReleasedCell> expected) {
        assertThat(actual.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.getJsonObject(i).getString("label")).isEqualTo(expected.get(i).label());
            assertCell(actual.getJsonObject(i), expected.get(i));
        }
    }

    static void assertCell(JsonObject actual, ReleasedCell expected) {
        assertThat(actual).as(expected.label()).isNotNull();
        assertThat(actual.getBoolean("suppressed")).as(expected.label()).isEqualTo(expected.suppressed());
        assertThat(actual.getValue("value") == null ? null : actual.getLong("value")).as(expected.label())
                .isEqualTo(expected.value());
        assertThat(actual.getString("display")).as(expected.label()).isEqualTo(expected.display());
    }
}
