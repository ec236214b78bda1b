package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void anotherCityRunsInItsOwnDataDirectoryWithItsOwnPolicyAndParticipants() {
        Settings jena = LocalSettings.withCityDataDir(Settings.of(Map.of(LocalConfig.CITY.name(), "jena")));
        assertThat(jena.get(LocalConfig.DATA_DIR)).isEqualTo(".local-jena");
        Path cities = Path.of("../cities").toAbsolutePath().normalize();
        Settings all = LocalSettings.forDataDir(jena, dir, cities, "jena");
        assertThat(all.get(QueryConfig.PRIVACY_POLICY_FILE)).isEqualTo(cities.resolve("jena/privacy.json").toString());
        assertThat(all.get(QueryConfig.PARTICIPANTS_FILE)).isEqualTo(dir.resolve("participants.json").toString());
        assertThat(LocalSettings.cityDir(cities, "jena")).isEqualTo(cities.resolve("jena"));
    }

    @Test
    void musterstadtKeepsDotLocalAndAnExplicitDataDirectoryWins() {
        assertThat(LocalSettings.withCityDataDir(Settings.of(Map.of())).get(LocalConfig.DATA_DIR)).isEqualTo(".local");
        assertThat(LocalSettings.withCityDataDir(Settings.of(Map.of(LocalConfig.CITY.name(), "jena",
                LocalConfig.DATA_DIR.name(), "/tmp/x"))).get(LocalConfig.DATA_DIR)).isEqualTo("/tmp/x");
    }

    @Test
    void anUnknownCityIsRefusedNamingTheKnownOnes() {
        Path cities = Path.of("../cities").toAbsolutePath().normalize();
        assertThatThrownBy(() -> LocalSettings.cityDir(cities, "weimar"))
                .hasMessageContaining("no city 'weimar'").hasMessageContaining("jena, musterstadt");
    }

    @Test
    void eachCityGetsItsOwnPseudonymSecretGeneratedLikeMusterstadts() {
        Settings jena = Settings.of(Map.of(LocalConfig.CITY.name(), "jena"));
        String secrets = LocalSystem.secretsFor(dir, jena).get(de.prokommun.insights.config.CommonConfig.CITY_SECRETS.name());
        assertThat(secrets).startsWith("jena:").hasSizeGreaterThan("jena:".length() + 40);
        assertThat(LocalSystem.secretsFor(dir, jena)).as("kept, not regenerated").containsValue(secrets);
        String musterstadt = LocalSystem.secretsFor(dir, Settings.of(Map.of()))
                .get(de.prokommun.insights.config.CommonConfig.CITY_SECRETS.name());
        assertThat(musterstadt).startsWith("musterstadt:");
        assertThat(musterstadt.substring("musterstadt:".length())).isNotEqualTo(secrets.substring("jena:".length()));
    }

    @Test
    void severalCitiesShareOneDataDirectoryAndTheServiceLoadsEveryCitysPolicy() {
        Settings both = LocalSettings.withCityDataDir(Settings.of(Map.of(LocalConfig.CITY.name(), "musterstadt,jena")));
        assertThat(LocalSettings.cities(both)).containsExactly("musterstadt", "jena");
        assertThat(LocalSettings.firstCity(both)).isEqualTo("musterstadt");
        assertThat(both.get(LocalConfig.DATA_DIR)).isEqualTo(".local-musterstadt-jena");
        Path cities = Path.of("../cities").toAbsolutePath().normalize();
        Settings all = LocalSettings.forDataDir(both, dir, cities, "musterstadt,jena");
        assertThat(all.isSet(QueryConfig.PRIVACY_POLICY_FILE)).as("unset: every city's privacy.json is loaded").isFalse();
        assertThatThrownBy(() -> LocalSettings.cities(Settings.of(Map.of(LocalConfig.CITY.name(), "jena,jena"))))
                .hasMessageContaining("'jena' is named twice");
    }

    @Test
    void severalCitiesGetAPseudonymSecretEachTheSameAsWhenRunAlone() {
        String both = LocalSystem.secretsFor(dir, Settings.of(Map.of(LocalConfig.CITY.name(), "musterstadt,jena")))
                .get(de.prokommun.insights.config.CommonConfig.CITY_SECRETS.name());
        String jena = LocalSystem.secretsFor(dir, Settings.of(Map.of(LocalConfig.CITY.name(), "jena")))
                .get(de.prokommun.insights.config.CommonConfig.CITY_SECRETS.name());
        String[] entries = both.split(",");
        assertThat(entries).hasSize(2);
        assertThat(entries[0]).startsWith("musterstadt:");
        assertThat(entries[1]).isEqualTo(jena);
        assertThat(de.prokommun.insights.contract.CitySecrets.parse(both).cities()).containsExactlyInAnyOrder("musterstadt", "jena");
    }
}
