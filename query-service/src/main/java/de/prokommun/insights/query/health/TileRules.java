package de.prokommun.insights.query.health;

import de.prokommun.insights.query.health.StreamingFigures.Job;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a sample of figures into tiles: where each threshold makes a tile red. Pure. */
final class TileRules {
    private TileRules() {}

    static List<Tile> tiles(StreamingFigures f, Thresholds t) {
        List<Tile> tiles = new ArrayList<>();
        tiles.add(unless(f.ingestion(), "ingestion.accepted", "events/s", i -> new Tile("ingestion.accepted",
                Tile.Status.OK, i.acceptedPerSecond(), "events/s", null, Map.of("acceptedTotal", i.acceptedTotal()))));
        tiles.add(unless(f.ingestion(), "ingestion.rejected", "requests/s", i -> {
            boolean red = i.rejectedPerSecond() > t.maxRejectedPerSecond();
            return new Tile("ingestion.rejected", red ? Tile.Status.RED : Tile.Status.OK, i.rejectedPerSecond(),
                    "requests/s", red ? "more than " + t.maxRejectedPerSecond() + " rejected requests/s" : null,
                    new LinkedHashMap<>(i.rejectedTotalByReason()));
        }));
        tiles.add(unless(f.consumerLag(), "kafka.lag", "records", lags -> {
            long max = lags.values().stream().mapToLong(Long::longValue).max().orElse(0);
            boolean red = max > t.maxConsumerLag();
            return new Tile("kafka.lag", red ? Tile.Status.RED : Tile.Status.OK, (double) max, "records",
                    red ? "a consumer group is more than " + t.maxConsumerLag() + " records behind" : null,
                    new LinkedHashMap<>(lags));
        }));
        tiles.add(unless(f.flinkJobs(), "flink.unread", "records", jobs -> unread(jobs, t)));
        tiles.add(unless(f.flinkJobs(), "flink.jobs", "jobs", jobs -> jobStates(jobs)));
        tiles.add(unless(f.flinkJobs(), "flink.checkpoints", "s", jobs -> checkpoints(jobs, t)));
        tiles.add(unless(f.flinkJobs(), "flink.restarts", "restarts", jobs -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            jobs.forEach(j -> detail.put(j.name(), j.restarts()));
            boolean restarting = jobs.stream().anyMatch(j -> j.state().equals("RESTARTING"));
            return new Tile("flink.restarts", restarting ? Tile.Status.RED : Tile.Status.OK,
                    (double) jobs.stream().mapToLong(Job::restarts).sum(), "restarts",
                    restarting ? "a job is restarting" : null, detail);
        }));
        tiles.add(unless(f.flinkJobs(), "flink.backpressure", "ratio", jobs -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            jobs.forEach(j -> detail.put(j.name(), j.backpressure()));
            double max = jobs.stream().mapToDouble(Job::backpressure).max().orElse(0);
            boolean red = max > t.maxBackpressure();
            return new Tile("flink.backpressure", red ? Tile.Status.RED : Tile.Status.OK, max, "ratio",
                    red ? "backpressure above " + t.maxBackpressure() : null, detail);
        }));
        tiles.add(unless(f.deadLetters(), "deadletters", "events", n -> {
            boolean red = n > t.maxDeadLetters();
            return new Tile("deadletters", red ? Tile.Status.RED : Tile.Status.OK, (double) n, "events",
                    red ? "more than " + t.maxDeadLetters() + " dead letters" : null, Map.of());
        }));
        tiles.add(unless(f.cardEvents(), "cards.waiting", "events", counters -> {
            boolean lost = CardWaits.lost(counters);
            return new Tile("cards.waiting", lost ? Tile.Status.RED : Tile.Status.OK, (double) CardWaits.waiting(counters),
                    "events", lost ? "card events dropped: more unlinked events on one card than the buffer holds" : null,
                    new LinkedHashMap<>(counters));
        }));
        tiles.add(unless(f.pinotFreshness(), "pinot.freshness", "s", lag -> {
            boolean red = lag.behindMillis() > t.maxPinotFreshness().toMillis();
            Map<String, Object> detail = new LinkedHashMap<>();
            lag.stageMillis().forEach((stage, ms) -> detail.put(stage + " (s)", ms / 1000.0));
            lag.consumedOffsets().forEach((p, consumed) -> detail.put("partition " + p,
                    "consumed " + consumed + " of " + lag.endOffsets().get(p)));
            return new Tile("pinot.freshness", red ? Tile.Status.RED : Tile.Status.OK, lag.behindMillis() / 1000.0, "s",
                    red ? "accepted events take more than " + t.maxPinotFreshness().toSeconds() + " s to become visible in Pinot" : null,
                    detail);
        }));
        return tiles;
    }

    /**
     * How far the jobs' sources are behind what has arrived: the consumer groups' lag (kafka.lag) also counts what
     * a job has read but commits only with its next checkpoint, so it never falls below a checkpoint interval's worth
     * of events; this one drops to zero when a job keeps up. Red beyond the same limit as the consumer lag.
     */
    private static Tile unread(List<Job> jobs, Thresholds t) {
        Map<String, Object> detail = new LinkedHashMap<>();
        jobs.stream().filter(j -> j.unreadRecords() != null).forEach(j -> detail.put(j.name(), j.unreadRecords()));
        if (detail.isEmpty()) return new Tile("flink.unread", Tile.Status.UNKNOWN, null, "records",
                "no running job reports its sources' unread records yet", detail);
        long max = jobs.stream().filter(j -> j.unreadRecords() != null).mapToLong(Job::unreadRecords).max().orElse(0);
        boolean red = max > t.maxConsumerLag();
        return new Tile("flink.unread", red ? Tile.Status.RED : Tile.Status.OK, (double) max, "records",
                red ? "a job has more than " + t.maxConsumerLag() + " records not yet read" : null, detail);
    }

    /** Red when any job is not RUNNING, or when there is no job at all. */
    private static Tile jobStates(List<Job> jobs) {
        Map<String, Object> detail = new LinkedHashMap<>();
        jobs.forEach(j -> detail.put(j.name(), j.state()));
        long running = jobs.stream().filter(j -> j.state().equals("RUNNING")).count();
        boolean red = jobs.isEmpty() || running < jobs.size();
        String reason = jobs.isEmpty() ? "no Flink job" : red ? (jobs.size() - running) + " job(s) not running" : null;
        return new Tile("flink.jobs", red ? Tile.Status.RED : Tile.Status.OK, (double) running, "jobs", reason, detail);
    }

    /** Age of the oldest latest-checkpoint among running jobs; a running job without any checkpoint is unknown. */
    private static Tile checkpoints(List<Job> jobs, Thresholds t) {
        Map<String, Object> detail = new LinkedHashMap<>();
        Long maxAge = null;
        for (Job j : jobs) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("ageSeconds", j.checkpointAgeMillis() == null ? null : j.checkpointAgeMillis() / 1000.0);
            one.put("durationMillis", j.checkpointDurationMillis());
            detail.put(j.name(), one);
            if (j.checkpointAgeMillis() != null) maxAge = Math.max(maxAge == null ? 0 : maxAge, j.checkpointAgeMillis());
        }
        if (maxAge == null) {
            return new Tile("flink.checkpoints", Tile.Status.UNKNOWN, null, "s", "no completed checkpoint yet", detail);
        }
        boolean red = maxAge > t.maxCheckpointAge().toMillis();
        return new Tile("flink.checkpoints", red ? Tile.Status.RED : Tile.Status.OK, maxAge / 1000.0, "s",
                red ? "last checkpoint older than " + t.maxCheckpointAge().toSeconds() + " s" : null, detail);
    }

    private static <T> Tile unless(Reading<T> reading, String id, String unit, java.util.function.Function<T, Tile> tile) {
        if (reading.ok()) return tile.apply(reading.value());
        return new Tile(id, reading.configured() ? Tile.Status.RED : Tile.Status.UNKNOWN, null, unit,
                reading.problem(), Map.of());
    }
}
