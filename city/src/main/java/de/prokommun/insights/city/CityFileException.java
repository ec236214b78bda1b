package de.prokommun.insights.city;

/** A city file that is missing, not JSON, or has a field that is unknown, missing or of the wrong kind. */
public final class CityFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    CityFileException(String message) {
        super(message);
    }

    CityFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
