package de.prokommun.insights.query.insights;

import de.prokommun.insights.privacy.Release;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.query.audience.AnswerSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What may be shown for one insights question: tables of released cells (and values derived only from
 * released cells, such as a lift), the canonical questions released, the releases themselves (for the
 * privacy summary) and notes on how to read the figures. No true figure is held here.
 */
public record InsightAnswer(String kind, String dataVersion, List<Table> tables, List<String> questions,
                            List<Release> releases, List<String> notes, AnswerSource source) {

    public InsightAnswer {
        tables = List.copyOf(tables);
        questions = List.copyOf(questions);
        releases = List.copyOf(releases);
        notes = List.copyOf(notes);
        if (source == null) source = AnswerSource.adHoc();
    }

    /** An ad-hoc answer (released for this question). */
    public InsightAnswer(String kind, String dataVersion, List<Table> tables, List<String> questions,
                         List<Release> releases, List<String> notes) {
        this(kind, dataVersion, tables, questions, releases, notes, AnswerSource.adHoc());
    }

    /** ρ (zCDP) this answer took from the city-wide cap: 0 for a publication or repeated questions. */
    public double rhoSpent() {
        return releases.stream().mapToDouble(Release::rhoSpent).sum();
    }

    /** A named table: its rows in the order they are meant to be read. */
    public record Table(String name, List<Row> rows) {
        public Table {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One row: released figures by name, derived values (computed from released cells only, null when an
     * input was suppressed or zero) and text attributes that are not figures (e.g. a flow's source and target).
     */
    public record Row(String label, Map<String, ReleasedCell> figures, Map<String, Double> derived,
                      Map<String, String> attributes) {
        public Row {
            figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
            derived = Collections.unmodifiableMap(new LinkedHashMap<>(derived));
            attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }

        public Row(String label, Map<String, ReleasedCell> figures, Map<String, Double> derived) {
            this(label, figures, derived, Map.of());
        }
    }

    public double epsilonSpent() {
        return releases.stream().mapToDouble(Release::epsilonSpent).sum();
    }

    public boolean repeated() {
        return releases.stream().allMatch(Release::repeated);
    }

    /** The last release carries the asker's most recent budget; null when nothing had to be released. */
    public Release latest() {
        return releases.isEmpty() ? null : releases.get(releases.size() - 1);
    }
}
