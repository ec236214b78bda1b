package de.prokommun.insights.privacy.city;

import java.time.YearMonth;
import java.util.Locale;

/** A release would take a share of the city's monthly cap beyond its limit; it is not made. */
public final class CityBudgetExhaustedException extends RuntimeException {

    /** Which limit would be exceeded. */
    public enum Share {
        /** The month's share for publications. */
        PUBLICATIONS,
        /** The month's share for ad-hoc questions of all accounts together. */
        AD_HOC,
        /** One account's part of the ad-hoc share. */
        AD_HOC_ACCOUNT,
        /** The city's whole cap (only reachable when journal entries of a larger earlier policy were replayed). */
        CITY
    }

    private final Share share;
    private final String city;
    private final YearMonth month;
    private final double rhoNeeded;
    private final double spentRho;
    private final double capRho;
    private final transient CityBudgetStatus status;
    private final java.time.LocalDate nextPortion;

    public CityBudgetExhaustedException(Share share, String city, YearMonth month, double rhoNeeded, double spentRho,
                                        double capRho, CityBudgetStatus status) {
        this(share, city, month, rhoNeeded, spentRho, capRho, status, null);
    }

    /**
     * @param nextPortion when the refusal is the pacing's (the month's share would pay, the part released so far
     *                    does not), the first day of the next portion; null when the month's share itself is spent
     */
    public CityBudgetExhaustedException(Share share, String city, YearMonth month, double rhoNeeded, double spentRho,
                                        double capRho, CityBudgetStatus status, java.time.LocalDate nextPortion) {
        super(String.format(Locale.ROOT,
                "city-wide privacy budget of %s for %s: the %s share cannot pay ρ=%.6g (spent ρ=%.6g of ρ=%.6g%s); "
                        + "it renews %s (city time)",
                city, month, describe(share), rhoNeeded, spentRho, capRho,
                nextPortion == null ? "" : " released so far", nextPortion == null
                        ? "at the start of " + month.plusMonths(1) : "in part on " + nextPortion));
        this.nextPortion = nextPortion;
        this.share = share;
        this.city = city;
        this.month = month;
        this.rhoNeeded = rhoNeeded;
        this.spentRho = spentRho;
        this.capRho = capRho;
        this.status = status;
    }

    private static String describe(Share share) {
        return switch (share) {
            case PUBLICATIONS -> "publication";
            case AD_HOC -> "ad-hoc (all accounts)";
            case AD_HOC_ACCOUNT -> "account's ad-hoc";
            case CITY -> "whole-city";
        };
    }

    public Share share() { return share; }
    public String city() { return city; }
    public YearMonth month() { return month; }
    public double rhoNeeded() { return rhoNeeded; }
    public double spentRho() { return spentRho; }
    public double capRho() { return capRho; }
    public CityBudgetStatus status() { return status; }

    /** The pacing's next portion when the refusal is the pacing's, else null (the month must renew). */
    public java.time.LocalDate nextPortion() {
        return nextPortion;
    }

    /** The month whose first local midnight renews the share. */
    public YearMonth renewsWith() {
        return month.plusMonths(1);
    }
}
