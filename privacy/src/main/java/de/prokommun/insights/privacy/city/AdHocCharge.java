package de.prokommun.insights.privacy.city;

/** One ad-hoc release of an answer, as the city-wide accountant charges it: its question digest and its ρ. */
public record AdHocCharge(String questionDigest, double rho) {}
