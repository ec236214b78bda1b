package de.prokommun.insights.query.health;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * How long the oldest record of one topic that its consumer (a Flink job's committed offsets, or Pinot) has not yet
 * made visible has been waiting: the monitor samples the topic's end offsets with the time it saw them; for each
 * partition the last sample whose end offset the consumer has passed tells since when, at most, the oldest record
 * it has not yet consumed has been waiting. Resolution: the period of the end-offset samples (sampled more often than
 * the rest of the monitor, {@code health.poll.end-offsets-period}: three stages at the 2 s poll period made the tile read
 * 6 s while events became visible in 2). The caller first moves a consumed offset past gaps that hold only transaction
 * markers. Pure; synchronized because the end offsets are sampled on their own timer.
 */
final class StageDelay {
    private static final int KEEP_SAMPLES = 1000;

    private record Sample(long atMillis, long endOffset) {}

    private final Map<Integer, Deque<Sample>> samples = new HashMap<>();

    synchronized void sawEndOffsets(long atMillis, Map<Integer, Long> endByPartition) {
        endByPartition.forEach((p, end) -> {
            Deque<Sample> d = samples.computeIfAbsent(p, k -> new ArrayDeque<>());
            if (d.isEmpty() || d.peekLast().endOffset() != end) d.addLast(new Sample(atMillis, end));
            while (d.size() > KEEP_SAMPLES) d.removeFirst();
        });
    }

    /**
     * How long, at most, the oldest record not yet consumed has been waiting (0 when caught up on every partition
     * reported). That record was appended after the last sample whose end offset the consumer has passed, so its age
     * is at most the time since that sample; it errs by up to one poll period on the high side, never on the low side.
     */
    synchronized long behindMillis(long nowMillis, Map<Integer, Long> consumedByPartition) {
        long worst = 0;
        for (var e : consumedByPartition.entrySet()) {
            Deque<Sample> d = samples.get(e.getKey());
            if (d == null || d.isEmpty()) continue;
            long consumed = e.getValue();
            if (d.peekLast().endOffset() <= consumed) continue;
            Sample passed = null;
            for (Sample s : d) {
                if (s.endOffset() > consumed) {
                    worst = Math.max(worst, nowMillis - (passed != null ? passed : s).atMillis());
                    break;
                }
                passed = s;
            }
        }
        return worst;
    }
}
