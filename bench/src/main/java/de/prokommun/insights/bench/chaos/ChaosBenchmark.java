package de.prokommun.insights.bench.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.local.LocalConfig;
import de.prokommun.insights.local.LocalSettings;
import de.prokommun.insights.local.cluster.ClusterClasspath;
import de.prokommun.insights.local.cluster.ClusterLayout;
import de.prokommun.insights.local.cluster.ClusterSystem;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.resident.ResidentConfig;
import de.prokommun.insights.simulator.SimCity;
import de.prokommun.insights.simulator.SimEvent;
import de.prokommun.insights.simulator.city.SimParticipant;
import de.prokommun.insights.simulator.emit.LiveLoad;
import de.prokommun.insights.simulator.emit.ParticipantsFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 17, item 2: faults under load on {@code ./run-cluster}'s topology (15 JVMs: 3 Kafka nodes, Pinot with 2
 * servers, a Flink JobManager and 2 TaskManagers, 2 ingestion instances, query service, resident API). While the
 * simulator feeds Musterstadt's life at {@code --rate} events/s through ingestion-2, one node after the other is
 * killed with SIGKILL and started again after {@code --downtime}: a Kafka broker, a TaskManager, the JobManager (the
 * jobs resume from their retained checkpoints), a Pinot server, and ingestion-1 while it takes a batch.
 * <p>The oracle is a probe stream in the second city, Jena, which has no other traffic: a registration every 250 ms
 * (and the batch of the ingestion fault), each retried by the sender until answered 202 — through the other instance
 * when one is gone. Jena's registration count in Pinot must reach exactly the number of probes accepted, never more.
 * A fault's recovery time runs from the kill until every probe accepted so far is counted (the node started again
 * after the downtime). Meanwhile the operator's audience and a probe resident's own data are read once a second.
 */
public final class ChaosBenchmark implements Benchmark {

    static final String CITY = "musterstadt";
    static final String PROBE_CITY = "jena";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The faults in the order they are injected: node role and the figure's name. */
    private static final Map<String, String> FAULTS = faults();

    @Override public String name() { return "chaos"; }

    @Override public String description() {
        return "SIGKILL of a Kafka broker, a TaskManager, the JobManager, a Pinot server and an ingestion instance"
                + " mid-batch on ./run-cluster's topology under the simulator's load; recovery time per fault and"
                + " exactly-once of a probe stream (--rate=1000 --residents=2000 --downtime=15s --recovery-timeout=5m)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        int rate = ctx.intOption("rate", 1000);
        int residents = ctx.intOption("residents", 2000);
        Duration downtime = ctx.durationOption("downtime", Duration.ofSeconds(15));
        Duration recoveryTimeout = ctx.durationOption("recovery-timeout", Duration.ofMinutes(5));
        Duration warmup = ctx.durationOption("warmup", Duration.ofSeconds(60));
        recorder.parameter("rate", rate);
        recorder.parameter("residents", residents);
        recorder.parameter("downtime", downtime.toString());
        recorder.parameter("recoveryTimeout", recoveryTimeout.toString());
        recorder.parameter("warmup", warmup.toString());

        for (int run = 0; run < ctx.runs(); run++) {
            Path dataDir = ctx.workDir().resolve("cluster-" + run);
            SimCity city = SimCity.load(ctx.citiesDir().resolve(CITY));
            Map<String, String> keys = new LinkedHashMap<>();
            String probeKey = writeParticipants(city, dataDir, keys);
            Settings settings = settings(ctx, dataDir);
            long startedAt = System.nanoTime();
            try (ClusterSystem cluster = ClusterSystem.start(dataDir, settings, ClusterLayout.standard(dataDir),
                    ClusterClasspath.ofBuild())) {
                recorder.note(String.format("run %d: all 15 nodes up after %.0f s", run + 1, (System.nanoTime() - startedAt) / 1e9));
                Probes probes = new Probes(cluster, probeKey, PROBE_CITY);
                QueryProbe queries = new QueryProbe(cluster.queryUrl(), keys.get(city.participants().operator().id()),
                        cluster.residentUrl(), settings.get(ResidentConfig.JWT_KEY), PROBE_CITY, Probes.FIRST_RESIDENT);
                Duration loadFor = warmup.plus(downtime.plus(recoveryTimeout).multipliedBy(FAULTS.size()));
                AtomicBoolean loading = new AtomicBoolean(true);
                Iterator<SimEvent> life = city.generate(20261205L + run, residents, Instant.now().minus(Duration.ofDays(7)),
                        Instant.now().plus(Duration.ofDays(3650)), "chaos" + run);
                // ends the load after the last fault: the load stops when its events do
                Iterator<SimEvent> events = new Iterator<>() {
                    @Override public boolean hasNext() { return loading.get() && life.hasNext(); }
                    @Override public SimEvent next() { return life.next(); }
                };
                LiveLoad.Options options = LiveLoad.Options.of(URI.create(cluster.ingestionUrls().get(1)), rate, loadFor);
                CompletableFuture<LiveLoad.Report> load = CompletableFuture.supplyAsync(() -> LiveLoad.run(events, keys, options));
                probes.start();
                queries.start();
                Thread.sleep(warmup.toMillis());
                Map<String, Double> figures = new LinkedHashMap<>();
                Map<String, Object> details = new LinkedHashMap<>();
                for (Map.Entry<String, String> fault : FAULTS.entrySet()) {
                    FaultResult r = inject(cluster, probes, queries, fault.getKey(), downtime, recoveryTimeout);
                    figures.put("chaos." + fault.getValue() + ".recovery_s", r.recoverySeconds());
                    details.put(fault.getValue(), r.describe());
                    System.out.println("[bench chaos] " + fault.getKey() + ": " + r.describe());
                }
                loading.set(false);
                LiveLoad.Report loaded = load.get(2, TimeUnit.MINUTES);
                probes.stop();
                queries.stop();
                long counted = probes.awaitCounted(recoveryTimeout, cluster);
                figures.put("chaos.probes_not_counted_exactly_once", (double) Math.abs(counted - probes.accepted())
                        + probes.overCounts());
                figures.put("chaos.query_availability_pct", queries.availabilityPercent());
                details.put("probesAccepted", probes.accepted());
                details.put("probesCounted", counted);
                details.put("probeOverCountsSeen", probes.overCounts());
                details.put("queries", queries.describe());
                details.put("load", loaded.describe());
                figures.put("chaos.load_accepted_events_per_s", loaded.acceptedEvents() / loaded.seconds());
                recorder.run(figures, details);
            }
        }
        recorder.note("Load: Musterstadt's simulated life (--residents, restamped to now) at --rate events/s in batches"
                + " of 100 through ingestion-2, not retried (a 503 during a fault is the load's loss, counted in its"
                + " report). Oracle: Jena's probe registrations, each retried until 202. Recovery time: from the SIGKILL"
                + " until every probe accepted so far is counted in Pinot, the node started again after --downtime;"
                + " the timeout value means not recovered in time. All 15 JVMs, the load and the probes share the"
                + " machine's two cores.");
    }

    private static FaultResult inject(ClusterSystem cluster, Probes probes, QueryProbe queries, String role,
                                      Duration downtime, Duration timeout) throws Exception {
        probes.awaitCounted(timeout, cluster); // a fault starts from a settled state, so recovery is the fault's
        queries.window(role);
        Instant killed = Instant.now();
        if (role.startsWith("ingestion")) {
            probes.batchDuringKill(cluster.node(role));
        } else {
            cluster.node(role).kill();
        }
        Thread.sleep(downtime.toMillis());
        List<String> restarted = cluster.restartEnded();
        Instant back = Instant.now();
        long acceptedSoFar = probes.accepted();
        Instant recovered = probes.awaitCountedAtLeast(acceptedSoFar, timeout, cluster);
        double seconds = Duration.between(killed, recovered == null ? killed.plus(timeout) : recovered).toMillis() / 1000.0;
        return new FaultResult(role, restarted, Duration.between(killed, back), seconds, recovered != null,
                queries.windowResult(role), probes.retriesSince(killed));
    }

    record FaultResult(String role, List<String> restarted, Duration down, double recoverySeconds, boolean recovered,
                       String queries, long probeRetries) {
        String describe() {
            return String.format("killed, started again after %.0f s (%s); %s %.1f s after the kill; probe retries %d; "
                            + "queries during the fault: %s", down.toMillis() / 1000.0, String.join(", ", restarted),
                    recovered ? "every accepted probe counted" : "NOT every accepted probe counted within the timeout",
                    recoverySeconds, probeRetries, queries);
        }
    }

    private static Settings settings(BenchContext ctx, Path dataDir) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(CommonConfig.PARTICIPANTS_FILE.name(), LocalSettings.participantsFile(dataDir).toString());
        values.put(CommonConfig.CITIES_DIR.name(), ctx.citiesDir().toString());
        values.put(QueryConfig.AUDIT_LOG.name(), dataDir.resolve("privacy/audit.jsonl").toString());
        values.put(QueryConfig.BUDGET_LEDGER.name(), dataDir.resolve("privacy/budget-ledger.jsonl").toString());
        SecureRandom random = new SecureRandom();
        values.put(CommonConfig.CITY_SECRETS.name(), CITY + ":" + ParticipantsFile.newKey(random) + ","
                + PROBE_CITY + ":" + ParticipantsFile.newKey(random));
        values.put(LocalConfig.DATA_DIR.name(), dataDir.toString());
        values.put(ResidentConfig.JWT_KEY.name(), ParticipantsFile.newKey(random));
        return LocalSettings.forQueryService(Settings.of(values), dataDir);
    }

    /** Musterstadt's participants (keys into {@code keys}) and Jena's portal for the probes; returns the probe key. */
    private static String writeParticipants(SimCity city, Path dataDir, Map<String, String> keys) throws Exception {
        SecureRandom random = new SecureRandom();
        ArrayNode directory = JSON.createArrayNode();
        for (SimParticipant p : city.participants().all()) {
            String key = ParticipantsFile.newKey(random);
            keys.put(p.id(), key);
            directory.addObject().put("id", p.id()).put("city", CITY).put("role", p.role().name()).put("name", p.name())
                    .put("apiKeySha256", ParticipantDirectory.digest(key));
        }
        String probeKey = ParticipantsFile.newKey(random);
        directory.addObject().put("id", "portal").put("city", PROBE_CITY).put("role", "PORTAL").put("name", "Portal Jena")
                .put("apiKeySha256", ParticipantDirectory.digest(probeKey));
        Path file = LocalSettings.participantsFile(dataDir);
        Files.createDirectories(file.getParent());
        Files.writeString(file, directory.toString());
        return probeKey;
    }

    private static Map<String, String> faults() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("kafka-2", "kafka_broker");
        f.put("flink-taskmanager-1", "taskmanager");
        f.put("flink-jobmanager", "jobmanager");
        f.put("pinot-server-1", "pinot_server");
        f.put("ingestion-1", "ingestion_mid_batch");
        return f;
    }
}
