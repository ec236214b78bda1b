package de.prokommun.insights.query.health;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recent headline values of every tile (by default the last 15 minutes), so that the operator sees a trend
 * (a lag that grows slowly, a checkpoint that gets longer) and not only the latest sample. Kept in memory by the
 * one monitor that samples; a restart of the query service starts the trend afresh. Not thread-safe: the monitor
 * samples on one thread at a time and hands out copies.
 */
final class TileTrends {

    /** One sample of one tile: when, and its headline value (null while the tile's figure is unknown). */
    record Point(long atMillis, Double value) {}

    private final long windowMillis;
    private final long resolutionMillis;
    private final Map<String, Deque<Point>> byTile = new LinkedHashMap<>();

    /** Keeps one point per {@code resolution} (samples in between are dropped: the page polls every few seconds). */
    TileTrends(Duration window, Duration resolution) {
        this.windowMillis = window.toMillis();
        this.resolutionMillis = resolution.toMillis();
    }

    /** Adds the sample's values and forgets the points older than the window; returns a copy for the report. */
    Map<String, List<Point>> record(long nowMillis, List<Tile> tiles) {
        for (Tile t : tiles) {
            Deque<Point> points = byTile.computeIfAbsent(t.id(), id -> new ArrayDeque<>());
            if (points.isEmpty() || nowMillis - points.peekLast().atMillis() >= resolutionMillis) {
                points.addLast(new Point(nowMillis, t.value()));
            }
        }
        Map<String, List<Point>> copy = new LinkedHashMap<>();
        byTile.forEach((id, points) -> {
            while (!points.isEmpty() && points.peekFirst().atMillis() < nowMillis - windowMillis) points.removeFirst();
            if (!points.isEmpty()) copy.put(id, new ArrayList<>(points));
        });
        byTile.values().removeIf(Deque::isEmpty);
        return copy;
    }
}
