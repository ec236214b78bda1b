package de.prokommun.insights.privacy;

/**
 * One released cell: the noisy value (null when suppressed), whether it is suppressed, and the text to show
 * (rounded and grouped, e.g. "1.230", or "weniger als 10").
 */
public record ReleasedCell(String label, Long value, boolean suppressed, String display) {}
