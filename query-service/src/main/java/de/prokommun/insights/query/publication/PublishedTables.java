package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.query.insights.InsightAnswer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of one answer made from published figures, as they are filled: rows in order of arrival, each figure
 * a published value as this asker is shown it ({@link PublishedStatistics#shown}), values derived from the shown
 * figures only, and text attributes of a row (a flow's source and target).
 */
final class PublishedTables {

    private final PublishedStatistics shown;
    private final Asker asker;
    private final Map<String, Map<String, Map<String, ReleasedCell>>> figures = new LinkedHashMap<>();
    private final Map<String, Map<String, Map<String, Double>>> derived = new LinkedHashMap<>();
    private final Map<String, Map<String, Map<String, String>>> attributes = new LinkedHashMap<>();

    PublishedTables(PublishedStatistics shown, Asker asker) {
        this.shown = shown;
        this.asker = asker;
    }

    void put(String table, String row, String figure, long value) {
        figures.computeIfAbsent(table, t -> new LinkedHashMap<>()).computeIfAbsent(row, x -> new LinkedHashMap<>())
                .put(figure, shown.shown(asker, figure, value));
    }

    void describe(String table, String row, String source, String target) {
        Map<String, String> attrs = attributes.computeIfAbsent(table, t -> new LinkedHashMap<>())
                .computeIfAbsent(row, x -> new LinkedHashMap<>());
        attrs.put("source", source);
        attrs.put("target", target);
    }

    ReleasedCell cell(String table, String row, String figure) {
        return figures.getOrDefault(table, Map.of()).getOrDefault(row, Map.of()).get(figure);
    }

    void derive(String table, String row, String name, Double value) {
        derived.computeIfAbsent(table, t -> new LinkedHashMap<>()).computeIfAbsent(row, x -> new LinkedHashMap<>())
                .put(name, value);
    }

    List<ReleasedCell> cells() {
        List<ReleasedCell> all = new ArrayList<>();
        figures.values().forEach(rows -> rows.values().forEach(f -> all.addAll(f.values())));
        return all;
    }

    List<InsightAnswer.Table> tables() {
        List<InsightAnswer.Table> out = new ArrayList<>();
        figures.forEach((table, rows) -> {
            List<InsightAnswer.Row> list = new ArrayList<>();
            rows.forEach((row, f) -> list.add(new InsightAnswer.Row(row, f,
                    derived.getOrDefault(table, Map.of()).getOrDefault(row, Map.of()),
                    attributes.getOrDefault(table, Map.of()).getOrDefault(row, Map.of()))));
            out.add(new InsightAnswer.Table(table, list));
        });
        return out;
    }
}
