package de.prokommun.insights.query.audience;

import java.nio.file.Path;

/** The real Musterstadt configuration from the repository's cities/ directory. */
final class Vocabularies {
    private Vocabularies() {}

    static final Path CITIES = Path.of("..", "cities");

    static CityVocabulary musterstadt() {
        return new CityCatalog(CITIES).city("musterstadt").orElseThrow();
    }
}
