package de.prokommun.insights.ingestion.mapping;

import java.util.List;

/** A parsed upload: the rows it holds and what could not be read. Applied only if {@code errors} is empty. */
public record MappingUpload(List<MappingRow> rows, List<RowError> errors) {
    public MappingUpload {
        rows = List.copyOf(rows);
        errors = List.copyOf(errors);
    }
}
