package de.prokommun.insights.flink.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.anonymize.AnonymiseJob;
import de.prokommun.insights.flink.campaign.CampaignJob;
import de.prokommun.insights.flink.profile.ProfileJob;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local mode's Flink: one MiniCluster (REST endpoint on {@code flink.rest.port}, 0 = any free port) running
 * the anonymise and the profile job on the real Kafka topics with RocksDB state and checkpoints under
 * {@code stateDir}. {@link #close()} stops each job with a savepoint and stops the cluster; a restart on the
 * same stateDir resumes each job from that savepoint, or after a crash from its last retained checkpoint
 * (state and Kafka offsets), so nothing is processed twice and nothing is lost.
 */
public final class LocalFlink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFlink.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The latest completed checkpoint of a job: when it completed (epoch ms) and how long it took. */
    public record CheckpointInfo(long checkpointId, long completedAt, long durationMillis) {}

    /** Job name → (job id, status) for the health monitor. */
    public record JobInfo(String name, String jobId, String status, boolean restoredFromCheckpoint) {}

    private final MiniCluster cluster;
    private final URI restUrl;
    private final RetainedCheckpoints checkpoints;
    private final Map<String, JobID> jobs = new LinkedHashMap<>();
    private final Map<String, Boolean> restored = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private boolean closed;
    private static final String LOOPBACK = "127.0.0.1";

    private LocalFlink(MiniCluster cluster, URI restUrl, RetainedCheckpoints checkpoints) {
        this.cluster = cluster;
        this.restUrl = restUrl;
        this.checkpoints = checkpoints;
    }

    public static LocalFlink start(Settings settings, Path stateDir) throws Exception {
        Files.createDirectories(stateDir);
        RetainedCheckpoints checkpoints = new RetainedCheckpoints(stateDir.toAbsolutePath());
        Configuration conf = JobEnvironment.configuration(settings, checkpoints.checkpointDir().toString());
        conf.set(RestOptions.ADDRESS, LOOPBACK);
        conf.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        // The blob server (job jars, large messages), RPC and the shuffle listen on the JobManager's and
        // TaskManager's bind host, by default every interface: the local mode keeps them on loopback.
        conf.set(JobManagerOptions.ADDRESS, LOOPBACK);
        conf.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(TaskManagerOptions.HOST, LOOPBACK);
        conf.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        // The MiniCluster runs the jobs it was given; no jar upload through its REST API (./run-cluster's JobManager
        // takes jars, and flink-runtime-web is on the local module's classpath for it).
        conf.set(org.apache.flink.configuration.WebOptions.SUBMIT_ENABLE, false);
        conf.set(RestOptions.PORT, settings.get(FlinkJobsConfig.REST_PORT));
        conf.set(RestOptions.BIND_PORT, String.valueOf(settings.get(FlinkJobsConfig.REST_PORT)));
        int parallelism = settings.get(FlinkJobsConfig.PARALLELISM);
        int slots = 3 * parallelism; // each job needs one slot per parallel instance (one slot-sharing group)
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, org.apache.flink.configuration.MemorySize.parse(
                settings.get(FlinkJobsConfig.MANAGED_MEMORY)));

        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
        cluster.start();
        LocalFlink flink = new LocalFlink(cluster, cluster.getRestAddress().get(30, TimeUnit.SECONDS), checkpoints);
        try {
            flink.submit(AnonymiseJob.NAME, conf, checkpoints, (env, s) -> AnonymiseJob.buildOnKafka(env, s), settings);
            flink.submit(ProfileJob.NAME, conf, checkpoints, (env, s) -> ProfileJob.buildOnKafka(env, s), settings);
            if (settings.get(FlinkJobsConfig.CAMPAIGN_JOB)) {
                flink.submit(CampaignJob.NAME, conf, checkpoints, (env, s) -> CampaignJob.buildOnKafka(env, s), settings);
            }
        } catch (Exception e) {
            flink.close();
            throw e;
        }
        LOG.info("Local Flink up at {} running {}", flink.restUrl, flink.jobs.keySet());
        return flink;
    }

    private void submit(String name, Configuration conf, RetainedCheckpoints checkpoints,
                        BiConsumer<StreamExecutionEnvironment, Settings> job, Settings settings) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        job.accept(env, settings);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        JobID id = new JobID();
        graph.setJobId(id);
        Optional<Path> resumeFrom = checkpoints.latest(name);
        resumeFrom.ifPresent(p -> graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(p.toString(), false)));
        cluster.submitJob(graph).get(60, TimeUnit.SECONDS);
        checkpoints.rememberJobId(name, id.toHexString());
        jobs.put(name, id);
        restored.put(name, resumeFrom.isPresent());
        LOG.info("Flink job {} submitted as {}{}", name, id, resumeFrom.map(p -> ", resuming from " + p).orElse(", fresh start"));
    }

    /** The REST/web endpoint of the MiniCluster. */
    public URI restUrl() { return restUrl; }

    /** Job name → status (RUNNING, RESTARTING, FAILED, ...). */
    public Map<String, String> jobStates() {
        Map<String, String> out = new LinkedHashMap<>();
        jobs.forEach((name, id) -> out.put(name, status(id).name()));
        return out;
    }

    public Map<String, JobInfo> jobs() {
        Map<String, JobInfo> out = new LinkedHashMap<>();
        jobs.forEach((name, id) -> out.put(name, new JobInfo(name, id.toHexString(), status(id).name(), restored.get(name))));
        return out;
    }

    /** The job's latest completed checkpoint, from the MiniCluster's REST API; empty before the first one. */
    public Optional<CheckpointInfo> latestCheckpoint(String jobName) {
        JobID id = jobs.get(jobName);
        if (id == null) throw new IllegalArgumentException("no job named '" + jobName + "'");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(restUrl.resolve("/jobs/" + id + "/checkpoints"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) return Optional.empty();
            JsonNode completed = JSON.readTree(response.body()).path("latest").path("completed");
            if (completed.isMissingNode() || completed.isNull()) return Optional.empty();
            return Optional.of(new CheckpointInfo(completed.path("id").asLong(),
                    completed.path("latest_ack_timestamp").asLong(), completed.path("end_to_end_duration").asLong()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * A savepoint taken while stopping commits the sinks' last Kafka transactions before the job ends; a
     * cancel could end the job between a checkpoint and its commit, and the restarted job could then not
     * commit that checkpoint's transactions any more (their producers are fenced).
     */
    private void stopWithSavepoint(String name, JobID id) throws Exception {
        String path = cluster.stopWithSavepoint(id, checkpoints.savepointDir().toUri().toString(), false,
                SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
        checkpoints.rememberSavepoint(name, id.toHexString(), path);
        LOG.info("Flink job {} stopped with savepoint {}", name, path);
    }

    private void cancel(String name, JobID id) {
        try {
            cluster.cancelJob(id).get(30, TimeUnit.SECONDS);
            cluster.requestJobResult(id).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Flink job {} did not cancel cleanly: {}", name, e.toString());
        }
    }

    private JobStatus status(JobID id) {
        try {
            return cluster.getJobStatus(id).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return JobStatus.FAILED;
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) return;
        closed = true;
        for (Map.Entry<String, JobID> job : jobs.entrySet()) {
            if (status(job.getValue()).isGloballyTerminalState()) continue;
            try {
                stopWithSavepoint(job.getKey(), job.getValue());
            } catch (Exception e) {
                LOG.warn("Flink job {} did not stop with a savepoint ({}); cancelling, the next start resumes from"
                        + " its last checkpoint", job.getKey(), e.toString());
                cancel(job.getKey(), job.getValue());
            }
        }
        cluster.close();
        LOG.info("Local Flink stopped");
    }
}
