package de.prokommun.insights.importer;

import java.time.Instant;

/** One readable line of a sales export: a product group sold on a receipt. {@code line} is its line in the file. */
public record SalesRow(String participant, String card, String customer, String receipt, Instant time,
                       String productGroup, int quantity, long amountCents, long line) {}
