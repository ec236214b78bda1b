package de.prokommun.insights.resident.auth;

/**
 * The authenticated resident of one request, taken from the verified token only: the portal's resident
 * reference ({@code sub}), the city, and the pseudonym derived from both. Never from a path or a body.
 */
public record Resident(String reference, String city, String pseudonym) {
    @Override
    public String toString() { return "Resident[city=" + city + "]"; }
}
