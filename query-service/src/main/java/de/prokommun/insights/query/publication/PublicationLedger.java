package de.prokommun.insights.query.publication;

import java.time.YearMonth;

/**
 * The city-wide accountant as the publisher needs it: how much ρ a month's publications may spend, and paying one
 * release from that share (once per release id; paying an id again is free and says so).
 */
public interface PublicationLedger {

    /** ρ (zCDP) the publications of one city-month may spend together. */
    double publicationRhoPerMonth(String city);

    /**
     * Pays a publication; throws when the share cannot pay (the publication is then not made).
     *
     * @return true when this call paid, false when the release id had been paid before
     */
    boolean chargePublication(String city, YearMonth month, String releaseId, double rho);
}
