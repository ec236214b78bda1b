package de.prokommun.insights.query.publication;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One release of a city's journey and voucher figures (participant level, every month of the window): paid once
 * from the journey's part of the publication share; everything computed from it is post-processing. Immutable.
 *
 * @param id           {@code <audience release id>/journey}, charged once by the city budget
 * @param participants the catalogue participants it was made for (its rows and nodes), in catalogue order
 * @param employers    the catalogue's employers it was made for
 * @param noise        per group key the σ² of its noise, as an exact decimal
 * @param figures      per month label ("2026-11") per group key (and "summary") the published, consistent,
 *                     non-negative integer cells
 * @param measured     per month label per group key the noisy cells as drawn, kept for audit only (never served)
 */
public record JourneyPublication(String city, String id, YearMonth month, Instant publishedAt, Instant dataAsOf,
                                 double rho, List<String> participants, List<String> employers,
                                 Map<String, String> noise, Map<String, Map<String, Map<String, Long>>> figures,
                                 Map<String, Map<String, Map<String, Long>>> measured) {

    public JourneyPublication {
        participants = List.copyOf(participants);
        employers = List.copyOf(employers);
        noise = Collections.unmodifiableMap(new LinkedHashMap<>(noise));
        figures = frozen(figures);
        measured = frozen(measured);
    }

    /** The published cell of a group in a month; empty when the month is not in the window or the cell unknown. */
    public Optional<Long> value(String monthLabel, String group, String label) {
        return Optional.ofNullable(figures.getOrDefault(monthLabel, Map.of()).getOrDefault(group, Map.of()).get(label));
    }

    public boolean covers(String monthLabel) {
        return figures.containsKey(monthLabel);
    }

    public boolean isParticipant(String id) {
        return participants.contains(id);
    }

    private static Map<String, Map<String, Map<String, Long>>> frozen(Map<String, Map<String, Map<String, Long>>> in) {
        Map<String, Map<String, Map<String, Long>>> out = new LinkedHashMap<>();
        in.forEach((m, groups) -> {
            Map<String, Map<String, Long>> g = new LinkedHashMap<>();
            groups.forEach((k, cells) -> g.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(cells))));
            out.put(m, Collections.unmodifiableMap(g));
        });
        return Collections.unmodifiableMap(out);
    }
}
