package de.prokommun.insights.privacy;

import de.prokommun.insights.privacy.city.CityBudgetExhaustedException;
import java.time.Instant;

/**
 * A new question cannot be paid: by the asker's own day or month budget ({@link Scope#ACCOUNT}), or by the
 * city-wide monthly cap per resident (the other scopes; then the cause is the {@link CityBudgetExhaustedException}). The query service answers HTTP 429 with
 * {@link #renewsAt()} (start of the next local day, or of the next month when the month budget is used up).
 */
public final class BudgetExhaustedException extends RuntimeException {

    /** Which period's budget ran out (the city-wide cap is always a month). */
    public enum Period {
        DAY, MONTH,
        /** The pacing of the city's ad-hoc share: the next portion of the month releases more (docs/PRIVACY.md section 6). */
        PORTION
    }

    /** Whose budget ran out. */
    public enum Scope {
        /** The account's own ε per day or month (its pacing). */
        ACCOUNT,
        /** The account's part of the city's ad-hoc share. */
        CITY_AD_HOC_ACCOUNT,
        /** The city's ad-hoc share, all accounts together. */
        CITY_AD_HOC,
        /** The city's whole monthly cap. */
        CITY
    }

    private final transient Instant renewsAt;
    private final Period period;
    private final double epsilonNeeded;
    private final transient BudgetStatus budget;
    private final Scope scope;

    public BudgetExhaustedException(Period period, double epsilonNeeded, BudgetStatus budget, Instant renewsAt) {
        super("Privacy budget exhausted for this " + period.name().toLowerCase() + ": this question needs ε="
                + epsilonNeeded + ", " + (period == Period.DAY ? budget.remainingDay() : budget.remainingMonth())
                + " left; the budget renews at " + renewsAt);
        this.period = period;
        this.epsilonNeeded = epsilonNeeded;
        this.budget = budget;
        this.renewsAt = renewsAt;
        this.scope = Scope.ACCOUNT;
    }

    /** The city-wide cap refused the question; {@code renewsAt} is the start of the next local month. */
    public BudgetExhaustedException(CityBudgetExhaustedException cause, double epsilonNeeded, BudgetStatus budget, Instant renewsAt) {
        super((cause.nextPortion() != null
                ? "City-wide privacy budget paced: the part released so far of "
                : "City-wide privacy budget exhausted for this month: ") + switch (cause.share()) {
                    case AD_HOC_ACCOUNT -> "this account's part of the city's ad-hoc share";
                    case AD_HOC -> "the city's share for ad-hoc questions (all accounts together)";
                    case PUBLICATIONS, CITY -> "the city's monthly cap per resident";
                } + String.format(java.util.Locale.ROOT, " cannot pay this question (ρ=%.3g; spent ρ=%.3g of ρ=%.3g)",
                cause.rhoNeeded(), cause.spentRho(), cause.capRho())
                + "; figures of the published statistics stay free; new ad-hoc questions can be asked again at " + renewsAt, cause);
        this.period = cause.nextPortion() != null ? Period.PORTION : Period.MONTH;
        this.epsilonNeeded = epsilonNeeded;
        this.budget = budget;
        this.renewsAt = renewsAt;
        this.scope = switch (cause.share()) {
            case AD_HOC_ACCOUNT -> Scope.CITY_AD_HOC_ACCOUNT;
            case AD_HOC -> Scope.CITY_AD_HOC;
            case PUBLICATIONS, CITY -> Scope.CITY;
        };
    }

    public Scope scope() {
        return scope;
    }

    public Instant renewsAt() {
        return renewsAt;
    }

    public Period period() {
        return period;
    }

    public double epsilonNeeded() {
        return epsilonNeeded;
    }

    public BudgetStatus budget() {
        return budget;
    }
}
