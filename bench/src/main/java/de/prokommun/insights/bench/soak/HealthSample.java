package de.prokommun.insights.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import de.prokommun.insights.flink.anonymize.AnonymiseJob;
import de.prokommun.insights.flink.profile.ProfileJob;
import de.prokommun.insights.query.health.HealthConfig;
import java.util.List;

/**
 * What the soak records every sample period, read from the query service's streaming health report (the same
 * figures the operator's tiles show): the largest consumer lag and the profile pipeline's, the records the pipeline's
 * jobs have not read yet, the freshness of the oldest accepted event not yet visible, the longest latest-checkpoint
 * duration of the jobs, backpressure, dead letters and the ingestion's count of accepted events (so that the rate the
 * feed achieved is in the series). NaN when unknown.
 */
record HealthSample(double atSeconds, String phase, double lagRecords, double pipelineLagRecords, double pipelineUnreadRecords,
                    double freshnessSeconds, double checkpointSeconds, double backpressure, double deadLetters,
                    double cardsWaiting, double acceptedTotal) {

    /**
     * The consumer groups of the profile pipeline (issue 12 measures its lag); the largest group's lag is most often
     * the campaign job's, which reads the profiles after them.
     */
    private static final List<String> PIPELINE_GROUPS = List.of(HealthConfig.ANONYMISE_GROUP.defaultValue(),
            HealthConfig.PROFILE_GROUP.defaultValue());
    private static final List<String> PIPELINE_JOBS = List.of(AnonymiseJob.NAME, ProfileJob.NAME);

    static HealthSample of(double atSeconds, String phase, JsonNode report) {
        double lag = Double.NaN, pipelineLag = Double.NaN, unread = Double.NaN, fresh = Double.NaN, checkpoint = Double.NaN, bp = Double.NaN, dead = Double.NaN, cards = Double.NaN, accepted = Double.NaN;
        for (JsonNode tile : report.path("tiles")) {
            double value = number(tile.path("value"));
            switch (tile.path("id").asText()) {
                case "kafka.lag" -> {
                    lag = value;
                    pipelineLag = largestOf(tile.path("detail"), PIPELINE_GROUPS);
                }
                case "flink.unread" -> unread = largestOf(tile.path("detail"), PIPELINE_JOBS);
                case "pinot.freshness" -> fresh = value;
                case "flink.backpressure" -> bp = value;
                case "deadletters" -> dead = value;
                case "cards.waiting" -> cards = value;
                case "ingestion.accepted" -> accepted = number(tile.path("detail").path("acceptedTotal"));
                case "flink.checkpoints" -> checkpoint = longestCheckpoint(tile.path("detail"));
                default -> { }
            }
        }
        return new HealthSample(atSeconds, phase, lag, pipelineLag, unread, fresh, checkpoint, bp, dead, cards, accepted);
    }

    private static double number(JsonNode v) {
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static double largestOf(JsonNode byName, List<String> names) {
        return largest(names.stream().map(byName::path).toList(), 1);
    }

    private static double longestCheckpoint(JsonNode perJob) {
        List<JsonNode> millis = new java.util.ArrayList<>();
        perJob.forEach(job -> millis.add(job.path("durationMillis")));
        return largest(millis, 1_000);
    }

    /** The largest of the numbers among {@code values}, divided by {@code unit}; NaN if none is a number. */
    private static double largest(List<JsonNode> values, double unit) {
        double max = Double.NaN;
        for (JsonNode v : values) {
            if (v.isNumber()) max = Double.isNaN(max) ? v.asDouble() / unit : Math.max(max, v.asDouble() / unit);
        }
        return max;
    }

    static String csvHeader() {
        return "seconds,phase,lag_records,pipeline_lag_records,pipeline_unread_records,freshness_s,checkpoint_s,backpressure,dead_letters,cards_waiting,accepted_total";
    }

    String csv() {
        return String.join(",", num(atSeconds), phase, num(lagRecords), num(pipelineLagRecords), num(pipelineUnreadRecords), num(freshnessSeconds), num(checkpointSeconds),
                num(backpressure), num(deadLetters), num(cardsWaiting), num(acceptedTotal));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
