package de.prokommun.insights.bench.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.audience.FilterNormalisation;
import de.prokommun.insights.query.publication.PublishedSelection;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudienceWorkloadTest {

    static final CityVocabulary CITY = new CityVocabulary("musterstadt", ZoneId.of("Europe/Berlin"),
            List.of("Altstadt", "Saarn", "Broich"), List.of("0-17", "18-34", "35-64", "65+"),
            List.of("family", "senior"), null,
            List.of(new CityVocabulary.AgeBandRange("0-17", 0, 17), new CityVocabulary.AgeBandRange("18-34", 18, 34),
                    new CityVocabulary.AgeBandRange("35-64", 35, 64), new CityVocabulary.AgeBandRange("65+", 65, 150)),
            List.of("sport", "musik"), 1464);

    @Test
    void theSameSeedGivesTheSameQuestionsInTheSameOrder() {
        assertThat(AudienceWorkload.generate(CITY, 200, 7)).isEqualTo(AudienceWorkload.generate(CITY, 200, 7));
        assertThat(AudienceWorkload.generate(CITY, 200, 7)).isNotEqualTo(AudienceWorkload.generate(CITY, 200, 8));
    }

    @Test
    void questionsAreDistinctAndEveryOneIsASumOfPublishedCells() {
        List<AudienceFilter> questions = AudienceWorkload.generate(CITY, 300, 11);
        assertThat(new HashSet<>(questions)).hasSize(300);
        for (AudienceFilter f : questions) {
            assertThat(f.personas().size() + f.interests().size()).isLessThanOrEqualTo(1);
            assertThat(PublishedSelection.of(CITY, FilterNormalisation.normalise(f, CITY))).as(f.toString()).isPresent();
        }
        // Varying narrowness: the whole city and questions with several restrictions both occur.
        assertThat(questions).anyMatch(f -> restrictions(f) == 0).anyMatch(f -> restrictions(f) >= 3);
    }

    private static int restrictions(AudienceFilter f) {
        return (f.hasAgeRange() ? 1 : 0) + (f.genders().isEmpty() ? 0 : 1) + (f.districts().isEmpty() ? 0 : 1)
                + (f.householdTypes().isEmpty() ? 0 : 1) + f.personas().size() + f.interests().size();
    }
}
