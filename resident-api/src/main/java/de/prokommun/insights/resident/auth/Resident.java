package de.prokommun.insights.resident.auth;

/**
 * The authenticated resident of one request, taken from the verified token only: the portal's resident
 * reference ({@code sub}), the city, the pseudonym of the person's current generation (where the pipeline keeps their
 * data now) and the generation-0 pseudonym that identifies the resident across generations (erasure register). Never
 * from a path or a body.
 */
public record Resident(String reference, String city, String pseudonym, String residentKey) {
    @Override
    public String toString() { return "Resident[city=" + city + "]"; }
}
