package de.prokommun.insights.privacy.city;

/**
 * The outcome of a charge: {@code repeated} when the same release or question had been paid this month already
 * (then {@code rho} is 0), otherwise the ρ paid; and the city-month's status after it.
 */
public record CityCharge(boolean repeated, double rho, CityBudgetStatus status) {}
