package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawIdentifiersTest {

    @Test
    void findsTaxonomyKeysEnumsAndSnakeCaseKeys() {
        assertThat(RawIdentifiers.in("Kategorie lebensmittel.backwaren")).hasSize(1).first().asString().startsWith("lebensmittel.backwaren");
        assertThat(RawIdentifiers.in("dienstleistungen.optik-hoerakustik")).hasSize(1);
        assertThat(RawIdentifiers.in("SINGLE_PARENT")).isNotEmpty();
        assertThat(RawIdentifiers.in("FEMALE, MALE")).hasSize(2);
        assertThat(RawIdentifiers.in("regular_shopper")).hasSize(1);
        assertThat(RawIdentifiers.in("payload_too_large: 3")).hasSize(1);
        assertThat(RawIdentifiers.in("family")).hasSize(1);
        assertThat(RawIdentifiers.in("Job anonymise: RUNNING")).hasSize(1);
    }

    @Test
    void leavesGermanSentencesNumbersDatesAndNamesAlone() {
        assertThat(RawIdentifiers.in("Brot & Backwaren")).isEmpty();
        assertThat(RawIdentifiers.in("Zum Schutz der Einwohner leicht verrauscht, z. B. 1.234 Personen am 05.12.2026.")).isEmpty();
        assertThat(RawIdentifiers.in("Job „anonymise“: läuft")).isEmpty();
        assertThat(RawIdentifiers.in("baeckerei-schmidt → metzgerei-brand")).isEmpty();
        assertThat(RawIdentifiers.in("Verlauf der letzten 15 Minuten: 1,5 – 2,0")).isEmpty();
        assertThat(RawIdentifiers.in("Alleinerziehende · Brot & Backwaren")).isEmpty();
    }
}
