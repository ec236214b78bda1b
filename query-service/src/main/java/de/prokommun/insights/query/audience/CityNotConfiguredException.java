package de.prokommun.insights.query.audience;

/** The asker's city has no query configuration (city.json): nothing can be asked about it. */
public final class CityNotConfiguredException extends RuntimeException {
    public CityNotConfiguredException(String city) {
        super("city '" + city + "' of this API key has no query configuration");
    }
}
