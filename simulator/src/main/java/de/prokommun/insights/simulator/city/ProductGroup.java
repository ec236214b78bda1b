package de.prokommun.insights.simulator.city;

/** A participant's own product group, mapped onto a taxonomy category; unit prices in cents. */
public record ProductGroup(String name, String category, int minCents, int maxCents) {}
