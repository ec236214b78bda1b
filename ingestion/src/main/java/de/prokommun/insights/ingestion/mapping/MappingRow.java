package de.prokommun.insights.ingestion.mapping;

/**
 * One requested mapping: a participant's own product group onto a taxonomy id, or {@code category == null}
 * to remove the group's mapping. {@code row} is 1-based in the upload; {@code line} the CSV line (0 for JSON).
 */
public record MappingRow(int row, int line, String productGroup, String category) {}
