package de.prokommun.insights.participants;

/** What an API key may do. */
public enum Role {
    /** The city portal: reports registrations, profile and consent changes, card links, erasures. */
    PORTAL,
    /** A participating business, club or institution: reports its own interactions, asks about aggregates. */
    PARTICIPANT,
    /** The local operator organisation: city-wide aggregates, journeys, health monitors. */
    OPERATOR
}
