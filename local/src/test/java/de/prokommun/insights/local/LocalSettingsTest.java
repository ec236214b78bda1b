package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.query.QueryConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local mode runs the query service as every deployment does: the city-wide cap enforced (it used to be
 * switched off here while the dashboards spent ad-hoc budget on load), its journal and publications in the data
 * directory.
 */
class LocalSettingsTest {

    @TempDir
    Path dir;

    @Test
    void theLocalModeEnforcesTheCityWideCap() {
        Settings query = LocalSettings.forQueryService(Settings.of(Map.of()), dir);
        assertThat(query.isSet(QueryConfig.CITY_BUDGET_ENFORCED)).as("no local override").isFalse();
        assertThat(query.get(QueryConfig.CITY_BUDGET_ENFORCED)).isTrue();
        assertThat(query.get(QueryConfig.CITY_BUDGET)).isEqualTo(dir.resolve("privacy/city-budget.jsonl").toString());
        assertThat(query.get(QueryConfig.PUBLICATION_CHECK_INTERVAL)).hasSeconds(60);
    }

    @Test
    void anExplicitSettingStillWins() {
        Settings query = LocalSettings.forQueryService(Settings.of(Map.of(QueryConfig.CITY_BUDGET_ENFORCED.name(), "false")), dir);
        assertThat(query.get(QueryConfig.CITY_BUDGET_ENFORCED)).isFalse();
    }
}
