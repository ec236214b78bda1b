package de.prokommun.insights.query.health;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * How long the oldest record of one topic that its consumer (a Flink job's committed offsets, or Pinot) has not yet
 * made visible has been waiting: the monitor samples the topic's end offsets with the time it saw them; for each
 * partition the first sample whose end offset lies beyond the consumed offset tells since when the consumer has
 * been behind. Resolution: one poll period. The caller first moves a consumed offset past gaps that hold only
 * transaction markers. Pure.
 */
final class StageDelay {
    private static final int KEEP_SAMPLES = 1000;

    private record Sample(long atMillis, long endOffset) {}

    private final Map<Integer, Deque<Sample>> samples = new HashMap<>();

    void sawEndOffsets(long atMillis, Map<Integer, Long> endByPartition) {
        endByPartition.forEach((p, end) -> {
            Deque<Sample> d = samples.computeIfAbsent(p, k -> new ArrayDeque<>());
            if (d.isEmpty() || d.peekLast().endOffset() != end) d.addLast(new Sample(atMillis, end));
            while (d.size() > KEEP_SAMPLES) d.removeFirst();
        });
    }

    /** Milliseconds Pinot is behind (0 when caught up on every partition it reports). */
    long behindMillis(long nowMillis, Map<Integer, Long> consumedByPartition) {
        long worst = 0;
        for (var e : consumedByPartition.entrySet()) {
            Deque<Sample> d = samples.get(e.getKey());
            if (d == null || d.isEmpty()) continue;
            long consumed = e.getValue();
            if (d.peekLast().endOffset() <= consumed) continue;
            for (Sample s : d) {
                if (s.endOffset() > consumed) {
                    worst = Math.max(worst, nowMillis - s.atMillis());
                    break;
                }
            }
        }
        return worst;
    }
}
