package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocalArgumentsTest {
    @Test
    void theCompleteJourneyDemoIsNamedAndOtherDemosAreRefusedByName() {
        assertThat(LocalMain.LocalArguments.demo(new String[] {"--fresh"})).isNull();
        assertThat(LocalMain.LocalArguments.demo(new String[] {"--demo", "complete-journey", "--fresh"})).isEqualTo("complete-journey");
        assertThat(LocalMain.LocalArguments.parse(new String[] {"--demo", "complete-journey", "--rate", "0"}))
                .containsExactlyEntriesOf(java.util.Map.of(LocalConfig.LIVE_RATE.name(), "0"));
        assertThatThrownBy(() -> LocalMain.LocalArguments.demo(new String[] {"--demo", "kino"}))
                .hasMessageContaining("unknown demo 'kino'").hasMessageContaining("complete-journey");
        assertThatThrownBy(() -> LocalMain.LocalArguments.demo(new String[] {"--demo"})).hasMessageContaining("needs a value");
    }

    @Test
    void cityNamesTheCityToRunAndOnlyADirectoryName() {
        assertThat(LocalMain.LocalArguments.parse(new String[] {"--city", "jena", "--fresh"}))
                .containsExactlyEntriesOf(java.util.Map.of(LocalConfig.CITY.name(), "jena"));
        assertThatThrownBy(() -> LocalMain.LocalArguments.parse(new String[] {"--city", "../etc"}))
                .hasMessageContaining("--city").hasMessageContaining("'../etc' is not a city name");
        assertThat(LocalMain.LocalArguments.parse(new String[] {"--city", "musterstadt,jena"}))
                .containsEntry(LocalConfig.CITY.name(), "musterstadt,jena");
        assertThatThrownBy(() -> LocalMain.LocalArguments.parse(new String[] {"--city", "jena,../etc"}))
                .hasMessageContaining("'../etc' is not a city name");
        assertThatThrownBy(() -> LocalMain.LocalArguments.parse(new String[] {"--city", "Jena"}))
                .hasMessageContaining("'Jena' is not a city name");
        assertThatThrownBy(() -> LocalMain.LocalArguments.parse(new String[] {"--city"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> LocalMain.LocalArguments.parse(new String[] {"--town", "jena"}))
                .hasMessageContaining("unknown option '--town'").hasMessageContaining("--city NAME");
    }
}
