package de.prokommun.insights.query.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One sample of the pipeline's operational figures: counts and times only, nothing about a person. */
record StreamingFigures(Instant sampledAt, Reading<Ingestion> ingestion, Reading<Map<String, Long>> consumerLag,
                        Reading<List<Job>> flinkJobs, Reading<Long> deadLetters, Reading<PinotLag> pinotFreshness,
                        Reading<Map<String, Long>> cardEvents) {

    StreamingFigures(Instant sampledAt, Reading<Ingestion> ingestion, Reading<Map<String, Long>> consumerLag,
                     Reading<List<Job>> flinkJobs, Reading<Long> deadLetters, Reading<PinotLag> pinotFreshness) {
        this(sampledAt, ingestion, consumerLag, flinkJobs, deadLetters, pinotFreshness, Reading.notConfigured("card resolver metrics"));
    }

    /** Rates over the interval since the previous scrape; totals since ingestion started. */
    record Ingestion(double acceptedPerSecond, double rejectedPerSecond, long acceptedTotal,
                     Map<String, Long> rejectedTotalByReason) {}

    /**
     * Freshness from acceptance: {@code behindMillis} is the sum of the stages' delays (accepted → anonymised →
     * profiled → visible in Pinot), each the age of the oldest record its consumer has not yet made visible;
     * the offsets are those of the last stage (profile topic vs Pinot, per partition).
     */
    record PinotLag(long behindMillis, Map<String, Long> stageMillis, Map<Integer, Long> endOffsets,
                    Map<Integer, Long> consumedOffsets) {}

    /**
     * checkpointAgeMillis / checkpointDurationMillis are null before the first completed checkpoint;
     * unreadRecords (records on the job's Kafka topics its sources have not read yet) is null until they report.
     */
    record Job(String name, String state, Long checkpointAgeMillis, Long checkpointDurationMillis, long restarts,
               double backpressure, Long unreadRecords) {

        Job(String name, String state, Long checkpointAgeMillis, Long checkpointDurationMillis, long restarts,
            double backpressure) {
            this(name, state, checkpointAgeMillis, checkpointDurationMillis, restarts, backpressure, null);
        }
    }
}
