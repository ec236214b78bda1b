package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.city.CityFiles;
import java.nio.file.Path;
import java.util.Set;
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

    private static final RawIdentifiers MUSTERSTADT = RawIdentifiers.ofCity(
            CityFiles.find(Path.of("..", "cities"), "musterstadt").orElseThrow(), Set.of("baeckerei"));

    @Test
    void onAnEnglishPageTheCitysIdsCountWhereTheyStandAloneNotInsideSentences() {
        assertThat(MUSTERSTADT.inEnglish("student")).hasSize(1).first().asString().startsWith("student in");
        assertThat(MUSTERSTADT.inEnglish("Personas: senior, teenager")).hasSize(2);
        assertThat(MUSTERSTADT.inEnglish("Purchase · 12.90 € · baeckerei")).hasSize(1);
        assertThat(MUSTERSTADT.inEnglish("lebensmittel")).as("a first-level category id").hasSize(1);
        assertThat(MUSTERSTADT.inEnglish("Interests: sport, kultur")).hasSize(2);
        assertThat(MUSTERSTADT.inEnglish("lebensmittel.backwaren")).as("id shapes count in English too").hasSize(1);
        assertThat(MUSTERSTADT.inEnglish("SINGLE_PARENT")).isNotEmpty();
        assertThat(MUSTERSTADT.inEnglish("other")).hasSize(1);
    }

    @Test
    void ordinaryEnglishWordsAndTheCitysNamesAreLeftAlone() {
        assertThat(MUSTERSTADT.inEnglish("Families")).isEmpty();
        assertThat(MUSTERSTADT.inEnglish("Single households and a single parent's family are counted once.")).isEmpty();
        assertThat(MUSTERSTADT.inEnglish("Delete all my data: your profile, every purchase and the other records")).isEmpty();
        assertThat(MUSTERSTADT.inEnglish("Why you are a student: born 2004, interests include sport")).isEmpty();
        assertThat(MUSTERSTADT.inEnglish("Senior citizens · Bread & bakery")).isEmpty();
        assertThat(MUSTERSTADT.inEnglish("Purchase on 5 Dec 2026 at Edeka Müller")).isEmpty();
        // the English names of household types are the persona ids "family", "couple", "single": English words here
        assertThat(MUSTERSTADT.inEnglish("household type is family (yours: family) – met")).isEmpty();
        assertThat(MUSTERSTADT.inEnglish("couple")).isEmpty();
    }

    @Test
    void aGermanPageIsScannedForTheCitysIdsAsWellAsForTheWords() {
        assertThat(MUSTERSTADT.inGerman("Einkauf · baeckerei · 12,90 €")).hasSize(1);
        assertThat(MUSTERSTADT.inGerman("Interessen: musik")).hasSize(1);
        assertThat(MUSTERSTADT.inGerman("Sie sind eine family")).as("persona words anywhere on a German page").hasSize(1);
        assertThat(MUSTERSTADT.inGerman("Familien · Brot & Backwaren · Lesen und Musik")).isEmpty();
    }
}
