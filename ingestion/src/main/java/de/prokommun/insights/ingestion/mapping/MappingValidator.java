package de.prokommun.insights.ingestion.mapping;

import de.prokommun.insights.validation.StrictText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks every row of an upload against the city's taxonomy. All errors are collected, so one answer lists
 * everything to fix; an upload with any error is applied not at all.
 */
public final class MappingValidator {

    /** Purchase lines carry product groups of at most this length (EVENTS.md), so a longer one never matches. */
    static final int MAX_GROUP_LENGTH = 128;

    private final Taxonomy taxonomy;

    public MappingValidator(Taxonomy taxonomy) {
        this.taxonomy = taxonomy;
    }

    /** @param csv whether fields are named as CSV columns ({@code category}) or JSON paths ({@code mappings[2].category}) */
    public List<RowError> validate(List<MappingRow> rows, boolean csv) {
        List<RowError> errors = new ArrayList<>();
        Map<String, Integer> firstRowOfGroup = new HashMap<>();
        for (MappingRow r : rows) {
            String groupField = field(r, MappingCsv.GROUP, csv);
            String group = r.productGroup();
            if (group == null || group.isBlank()) {
                errors.add(new RowError(r.row(), r.line(), groupField, "must not be empty"));
            } else if (group.codePointCount(0, group.length()) > MAX_GROUP_LENGTH) {
                errors.add(new RowError(r.row(), r.line(), groupField, "is " + group.codePointCount(0, group.length())
                        + " characters long; product groups have at most " + MAX_GROUP_LENGTH));
            } else if (!StrictText.check(group, StrictText.Kind.IDENTIFIER).ok()) {
                // the rule purchase lines pass at ingestion: such a group could never match a line
                errors.add(new RowError(r.row(), r.line(), groupField,
                        StrictText.check(group, StrictText.Kind.IDENTIFIER).problem()));
            } else if (!group.equals(group.strip())) {
                errors.add(new RowError(r.row(), r.line(), groupField,
                        "must not start or end with white space (it would never match a purchase line)"));
            } else {
                Integer first = firstRowOfGroup.putIfAbsent(group, r.row());
                if (first != null) {
                    errors.add(new RowError(r.row(), r.line(), groupField,
                            "duplicate: product group '" + group + "' is already mapped in row " + first));
                }
            }
            if (r.category() != null) {
                taxonomy.problemWith(r.category()).ifPresent(reason ->
                        errors.add(new RowError(r.row(), r.line(), field(r, MappingCsv.CATEGORY, csv), reason)));
            }
        }
        return errors;
    }

    private static String field(MappingRow r, String name, boolean csv) {
        return csv ? name : "mappings[" + (r.row() - 1) + "]." + name;
    }
}
