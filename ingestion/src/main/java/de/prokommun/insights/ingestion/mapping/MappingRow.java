package de.prokommun.insights.ingestion.mapping;

import de.prokommun.insights.validation.StrictText;

/**
 * One requested mapping: a participant's own product group onto a taxonomy id, or {@code category == null}
 * to remove the group's mapping. {@code row} is 1-based in the upload; {@code line} the CSV line (0 for JSON).
 * A product group that passes the write path's text rule is kept in NFC, as ingestion stores purchase lines'
 * product groups, so a decomposed "Gemüse" in the upload maps the lines it names; one that breaks the rule is
 * kept as sent and refused by {@link MappingValidator}.
 */
public record MappingRow(int row, int line, String productGroup, String category) {
    public MappingRow {
        if (productGroup != null) {
            StrictText.Checked checked = StrictText.check(productGroup, StrictText.Kind.IDENTIFIER);
            if (checked.ok()) productGroup = checked.value();
        }
    }
}
