package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.query.audience.CityCatalog;
import de.prokommun.insights.query.audience.CityVocabulary;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/** The repository's Musterstadt configuration, and publications over its cube with chosen cell values. */
final class Musterstadt {
    private Musterstadt() {}

    static final Path CITIES = Path.of("..", "cities");

    static CityVocabulary vocabulary() {
        return new CityCatalog(CITIES).city("musterstadt").orElseThrow();
    }

    static PrivacyPolicy policy() {
        return PrivacyPolicy.of(PrivacyPolicy.load(CITIES.resolve("musterstadt/privacy.json")));
    }

    /** A publication whose every cell of every slice holds {@code value.applyAsLong(slice + key)}. */
    static Publication publication(ToLongFunction<String> value) {
        CubeDomain domain = CubeDomain.of(vocabulary());
        Map<String, Map<CellKey, Long>> cells = new LinkedHashMap<>();
        for (String slice : domain.slices()) {
            Map<CellKey, Long> values = new LinkedHashMap<>();
            for (CellKey key : domain.cells()) values.put(key, value.applyAsLong(slice + "|" + String.join("|", key.parts())));
            cells.put(slice, values);
        }
        Map<String, java.util.List<Measurement>> measured = Map.of("all", java.util.List.of(
                new Measurement(java.util.List.of(), value.applyAsLong("all")),
                new Measurement(java.util.List.of("Saarn", "18-24"), value.applyAsLong("all|Saarn|18-24"))));
        return new Publication("musterstadt", "musterstadt/2026-12/1of4", YearMonth.of(2026, 12),
                Instant.parse("2026-12-01T08:00:00Z"), Instant.parse("2026-12-01T07:59:58Z"), 0.03, "1234.5", cells,
                measured);
    }
}
