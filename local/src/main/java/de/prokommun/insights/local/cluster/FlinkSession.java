package de.prokommun.insights.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.runtime.JobEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;

/**
 * A Flink standalone session cluster of {@code ./run-cluster}: a JobManager and TaskManagers, each its own JVM
 * started from {@code flink-runtime}'s entry points with the jobs' dependencies on the classpath (as
 * {@code /opt/flink/lib} of an image), sharing one checkpoint directory. The jobs are submitted through the REST API
 * as jar + entry class + a properties file, exactly as on a production session cluster.
 */
public final class FlinkSession {
    static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofMinutes(3);
    /** What Flink's start scripts open on Java 17 (its default {@code env.java.default-opts.all}). */
    private static final List<String> JAVA_OPENS = java.util.stream.Stream.of(
            "java.base/java.lang", "java.base/java.net", "java.base/java.io", "java.base/java.nio", "java.base/sun.nio.ch",
            "java.base/java.lang.reflect", "java.base/java.text", "java.base/java.time", "java.base/java.util",
            "java.base/java.util.concurrent", "java.base/java.util.concurrent.atomic", "java.base/java.util.concurrent.locks")
            .map(p -> "--add-opens=" + p + "=ALL-UNNAMED").toList();

    private final NodeProcess jobManager;
    private final List<NodeProcess> taskManagers;
    private final URI restUrl;
    private final Path checkpointDir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private FlinkSession(NodeProcess jobManager, List<NodeProcess> taskManagers, URI restUrl, Path checkpointDir) {
        this.jobManager = jobManager;
        this.taskManagers = taskManagers;
        this.restUrl = restUrl;
        this.checkpointDir = checkpointDir;
    }

    /** The processes of the session cluster in {@code dir} (not started). */
    static FlinkSession plan(Path dir, ClusterLayout layout, Settings settings, String classpath) {
        Path checkpoints = dir.resolve("checkpoints").toAbsolutePath();
        Map<String, String> common = commonConfig(settings, layout, checkpoints, dir);
        // every job runs at the full parallelism in its own slots: the jobs × parallelism spread over the TaskManagers
        int needed = ClusterSystem.JOBS.size() * settings.get(FlinkJobsConfig.PARALLELISM);
        int slots = (needed + layout.taskManagers() - 1) / layout.taskManagers();
        List<String> jvm = new ArrayList<>(List.of("-Dlog4j2.configurationFile=log4j2-node.properties"));
        jvm.addAll(JAVA_OPENS);
        jvm.addAll(ClusterSystem.nodeJvmOptions(settings));
        Path jmConf = writeConfig(dir.resolve("conf-jobmanager"), common);
        NodeProcess jm = NodeProcess.jvm("flink-jobmanager", layout.port("flink.jobmanager.rest"), classpath, "512m", jvm,
                JOB_MANAGER_MAIN, List.of("--configDir", jmConf.toString()), dir.resolve("jobmanager.log"));
        List<NodeProcess> tms = new ArrayList<>();
        for (int i = 1; i <= layout.taskManagers(); i++) {
            Map<String, String> conf = new LinkedHashMap<>(common);
            conf.put("taskmanager.resource-id", "taskmanager-" + i);
            conf.put("taskmanager.rpc.port", String.valueOf(layout.port("flink.taskmanager-" + i + ".rpc")));
            conf.put("taskmanager.data.port", String.valueOf(layout.port("flink.taskmanager-" + i + ".data")));
            conf.put("taskmanager.numberOfTaskSlots", String.valueOf(slots));
            conf.put("io.tmp.dirs", dir.resolve("tmp-taskmanager-" + i).toAbsolutePath().toString());
            Path tmConf = writeConfig(dir.resolve("conf-taskmanager-" + i), conf);
            tms.add(NodeProcess.jvm("flink-taskmanager-" + i, layout.port("flink.taskmanager-" + i + ".rpc"), classpath, "900m",
                    jvm, TASK_MANAGER_MAIN, List.of("--configDir", tmConf.toString()), dir.resolve("taskmanager-" + i + ".log")));
        }
        URI rest = URI.create("http://" + ClusterLayout.HOST + ":" + layout.port("flink.jobmanager.rest"));
        return new FlinkSession(jm, tms, rest, checkpoints);
    }

    /** What every process of the session reads: addresses on loopback, memory, and the jobs' checkpointing. */
    static Map<String, String> commonConfig(Settings settings, ClusterLayout layout, Path checkpoints, Path dir) {
        Map<String, String> c = new TreeMap<>();
        Configuration job = JobEnvironment.configuration(settings, checkpoints.toString());
        job.toMap().forEach(c::put);
        String host = ClusterLayout.HOST;
        c.put("jobmanager.rpc.address", host);
        c.put("jobmanager.bind-host", host);
        c.put("jobmanager.rpc.port", String.valueOf(layout.port("flink.jobmanager.rpc")));
        c.put("jobmanager.memory.process.size", "900m");
        c.put("rest.address", host);
        c.put("rest.bind-address", host);
        c.put("rest.port", String.valueOf(layout.port("flink.jobmanager.rest")));
        c.put("blob.server.port", String.valueOf(layout.port("flink.jobmanager.blob")));
        c.put("web.upload.dir", dir.resolve("jars").toAbsolutePath().toString());
        c.put("taskmanager.host", host);
        c.put("taskmanager.bind-host", host);
        // Flink's start scripts derive these; a TaskManager started from its entry point must be given them
        c.put("taskmanager.cpu.cores", "1.0");
        c.put("taskmanager.memory.task.heap.size", "512m");
        c.put("taskmanager.memory.task.off-heap.size", "32m");
        c.put("taskmanager.memory.framework.heap.size", "128m");
        c.put("taskmanager.memory.framework.off-heap.size", "128m");
        c.put("taskmanager.memory.jvm-overhead.min", "192m");
        c.put("taskmanager.memory.jvm-overhead.max", "192m");
        c.put("taskmanager.memory.managed.size", settings.get(FlinkJobsConfig.MANAGED_MEMORY));
        c.put("taskmanager.memory.network.min", "64m");
        c.put("taskmanager.memory.network.max", "64m");
        c.put("taskmanager.memory.jvm-metaspace.size", "256m");
        c.put("restart-strategy.type", "exponential-delay");
        // a node started again on a busy machine (two cores, fifteen JVMs) needs more than the default 10 s to start
        // its RPC system; it would give up and end instead
        c.put("pekko.startup-timeout", "120 s");
        return c;
    }

    private static Path writeConfig(Path dir, Map<String, String> config) {
        StringBuilder yaml = new StringBuilder("# written by ./run-cluster (ClusterSystem) at every start\n");
        config.forEach((k, v) -> yaml.append(k).append(": ").append(quoted(v)).append('\n'));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.yaml"), yaml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Flink configuration in " + dir, e);
        }
        return dir;
    }

    private static String quoted(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    void start() throws InterruptedException {
        jobManager.start();
        for (NodeProcess tm : taskManagers) tm.start();
        jobManager.awaitListening(START);
        awaitTaskManagers(taskManagers.size(), START);
    }

    /** Waits until {@code count} TaskManagers are registered with the JobManager. */
    void awaitTaskManagers(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = -1;
        while (System.nanoTime() < deadline) {
            try {
                seen = get("/taskmanagers").path("taskmanagers").size();
                if (seen >= count) return;
            } catch (IOException notYet) {
                // the REST endpoint is still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(count + " TaskManagers expected, " + seen + " registered within " + timeout
                + "; logs in " + jobManager.log().getParent());
    }

    /** Uploads the job jar once; its id for {@link #run}. */
    String upload(Path jar) throws IOException, InterruptedException {
        String boundary = "----prokommun" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(restUrl.resolve("/jars/upload"))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(answer.path("status").asText())) {
            throw new IllegalStateException("jar upload refused (" + response.statusCode() + "): " + response.body());
        }
        return Path.of(answer.get("filename").asText()).getFileName().toString();
    }

    /**
     * Runs {@code entryClass} of the uploaded jar with the properties file as its argument (the jobs' {@code main}
     * reads its settings from it), from {@code savepoint} when given; returns the job id.
     */
    String run(String jarId, String entryClass, Path properties, int parallelism, Optional<Path> savepoint)
            throws IOException, InterruptedException {
        var request = JSON.createObjectNode().put("entryClass", entryClass).put("parallelism", parallelism);
        request.putArray("programArgsList").add(properties.toAbsolutePath().toString());
        savepoint.ifPresent(p -> request.put("savepointPath", p.toUri().toString()).put("allowNonRestoredState", false));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(restUrl.resolve("/jars/" + jarId + "/run"))
                .timeout(Duration.ofMinutes(3)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !answer.has("jobid")) {
            throw new IllegalStateException("running " + entryClass + " refused (" + response.statusCode() + "): " + response.body());
        }
        return answer.get("jobid").asText();
    }

    /** Job name → status of every job the cluster knows. */
    Map<String, String> jobs() throws IOException, InterruptedException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) out.put(job.path("name").asText(), job.path("state").asText());
        return out;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(restUrl.resolve(path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IOException(path + ": HTTP " + response.statusCode() + " " + response.body());
        return JSON.readTree(response.body());
    }

    URI restUrl() {
        return restUrl;
    }

    Path checkpointDir() {
        return checkpointDir;
    }

    NodeProcess jobManager() {
        return jobManager;
    }

    List<NodeProcess> taskManagers() {
        return taskManagers;
    }
}
