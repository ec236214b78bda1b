package de.prokommun.insights.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.config.ConfigKey;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Pinot cluster (ZooKeeper, controller, broker, server) in a child JVM started from
 * {@code pinot-runner} with its own classpath: Pinot 0.11 cannot share a JVM with Kafka 4 or Flink 2.
 * Every table of {@link PinotTables#ALL} is created from the repository's {@code pinot/} files and consumes
 * its registry topic. The data directory belongs to Pinot alone; starting again on the same directory (and
 * the same {@link Ports}) finds every table and row again.
 */
public final class PinotCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PinotCluster.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The runner's entry point (pinot-runner's {@code PinotMain}). */
    public static final String MAIN_CLASS = "de.prokommun.insights.pinot.PinotMain";
    private static final String READY_PREFIX = "PINOT READY ";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** The loopback ports of the child's services; all chosen by the parent. */
    public record Ports(int zookeeper, int controller, int broker, int serverNetty, int serverAdmin, int serverGrpc) {
        /** Six distinct free loopback ports. */
        public static Ports free() {
            Set<Integer> ports = new LinkedHashSet<>();
            while (ports.size() < 6) ports.add(FreePorts.next());
            int[] p = ports.stream().mapToInt(Integer::intValue).toArray();
            return new Ports(p[0], p[1], p[2], p[3], p[4], p[5]);
        }
    }

    private final Process process;
    private final String host;
    private final Ports ports;
    private final Path logFile;
    private final Thread pump;
    private final Thread killOnExit;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // Pinot's REST server stalls on the HTTP/2 upgrade
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private volatile boolean closed;

    private PinotCluster(Process process, String host, Ports ports, Path logFile, Thread pump, Thread killOnExit) {
        this.process = process;
        this.host = host;
        this.ports = ports;
        this.logFile = logFile;
        this.pump = pump;
        this.killOnExit = killOnExit;
    }

    /** Starts Pinot on free loopback ports. */
    public static PinotCluster start(Path dataDir, String kafkaBootstrap, Settings settings) {
        return start(dataDir, kafkaBootstrap, settings, Ports.free());
    }

    /**
     * Starts Pinot on the given ports (a restart of the local mode uses the ports of the previous run, which
     * keeps Pinot's instance names stable) and blocks until it reports READY or the startup timeout passes.
     */
    public static PinotCluster start(Path dataDir, String kafkaBootstrap, Settings settings, Ports ports) {
        Path dir = dataDir.toAbsolutePath();
        Path logFile = dir.resolve("pinot-runner.log");
        List<String> command = command(dir, kafkaBootstrap, settings, ports);
        Process process;
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Pinot child JVM", e);
        }
        Thread killOnExit = new Thread(() -> stop(process), "pinot-child-stop");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        CompletableFuture<String> ready = new CompletableFuture<>();
        Deque<String> tail = new ArrayDeque<>();
        Thread pump = new Thread(() -> pump(process, logFile, ready, tail), "pinot-child-output");
        pump.setDaemon(true);
        pump.start();
        PinotCluster cluster = new PinotCluster(process, settings.get(PinotClusterConfig.HOST), ports, logFile, pump, killOnExit);
        Duration timeout = settings.get(PinotClusterConfig.STARTUP_TIMEOUT);
        try {
            String line = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Pinot ready ({}), log {}", line.substring(READY_PREFIX.length()), logFile);
            process.onExit().thenAccept(p -> {
                if (!cluster.closed) {
                    LOG.error("Pinot's JVM exited on its own with code {}: no figure is answered until a restart; see {}",
                            p.exitValue(), logFile);
                }
            });
            return cluster;
        } catch (TimeoutException | ExecutionException e) {
            cluster.close();
            String why = e instanceof TimeoutException ? "did not report READY within " + timeout : e.getCause().getMessage();
            throw new IllegalStateException("Pinot child JVM " + why + "; log " + logFile + ", last lines:\n"
                    + String.join("\n", snapshot(tail)), e);
        } catch (InterruptedException e) {
            cluster.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Pinot", e);
        }
    }

    private static List<String> command(Path dir, String kafkaBootstrap, Settings settings, Ports ports) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> c = new ArrayList<>(List.of(java, "-Xmx" + settings.get(PinotClusterConfig.HEAP),
                "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Djava.net.preferIPv4Stack=true",
                // The soak of 2026-12-06 lost Pinot to a full heap after an hour with nothing to say why: keep the evidence.
                "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + dir.resolve("pinot-out-of-memory.hprof")));
        c.addAll(PinotClusterConfig.words(settings.get(PinotClusterConfig.JVM_OPTIONS)));
        c.addAll(List.of("-cp", runnerClasspath(settings), MAIN_CLASS));
        c.addAll(runnerArguments(dir, kafkaBootstrap, settings, ports));
        c.add("--parent-pid=" + ProcessHandle.current().pid());
        return c;
    }

    /**
     * The runner's arguments for a cluster in {@code dir}: ports, Kafka, the table definitions and their topics, the
     * purge and flush settings (the local mode's child and each process of {@code ./run-cluster} alike).
     */
    public static List<String> runnerArguments(Path dir, String kafkaBootstrap, Settings settings, Ports ports) {
        List<String> c = new ArrayList<>(List.of(
                "--data-dir=" + dir,
                "--zk-port=" + ports.zookeeper(),
                "--controller-port=" + ports.controller(),
                "--broker-port=" + ports.broker(),
                "--server-netty-port=" + ports.serverNetty(),
                "--server-admin-port=" + ports.serverAdmin(),
                "--server-grpc-port=" + ports.serverGrpc(),
                "--kafka-bootstrap=" + kafkaBootstrap,
                "--config-dir=" + configDir(settings),
                "--host=" + settings.get(PinotClusterConfig.HOST)));
        for (PinotTables.Table table : PinotTables.ALL) {
            c.add("--table=" + table.name() + "=" + table.source().name(settings));
        }
        c.add("--purge-interval=" + settings.get(PinotClusterConfig.PURGE_INTERVAL));
        c.add("--purge-max-delay=" + settings.get(PinotClusterConfig.PURGE_MAX_DELAY));
        c.add("--purge-min-invalid-share=" + settings.get(PinotClusterConfig.PURGE_MIN_INVALID_SHARE));
        if (settings.isSet(PinotClusterConfig.UPSERT_FLUSH_TIME)) {
            c.add("--upsert-flush-time=" + settings.get(PinotClusterConfig.UPSERT_FLUSH_TIME));
        }
        if (settings.isSet(PinotClusterConfig.UPSERT_FLUSH_ROWS)) {
            c.add("--upsert-flush-rows=" + settings.get(PinotClusterConfig.UPSERT_FLUSH_ROWS));
        }
        return c;
    }

    /** Copies the child's output into the log file and completes {@code ready} with the READY line. */
    private static void pump(Process process, Path logFile, CompletableFuture<String> ready, Deque<String> tail) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                log.println(line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 40) tail.removeFirst();
                }
                if (line.startsWith(READY_PREFIX)) ready.complete(line);
            }
        } catch (IOException e) {
            // The JDK closes the pipe under a blocked reader when the child exits: that is the normal end.
            if (process.isAlive()) LOG.warn("cannot copy the Pinot child's output to {}", logFile, e);
        } finally {
            ready.completeExceptionally(new IllegalStateException("exited with code " + exitCode(process)));
        }
    }

    private static int exitCode(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static List<String> snapshot(Deque<String> tail) {
        synchronized (tail) {
            return new ArrayList<>(tail);
        }
    }

    public Ports ports() { return ports; }

    /** The child JVM's process id (for jcmd: {@code bench/run pinot-heap} measures its heap). */
    public long pid() { return process.pid(); }

    /** Whether the child JVM still runs (it exits on an OutOfMemoryError). */
    public boolean isAlive() { return process.isAlive(); }

    /** Controller as host:port without scheme (what pinot-java-client's {@code fromController} takes). */
    public String controllerHostPort() { return host + ":" + ports.controller(); }

    /** Broker as host:port without scheme. */
    public String brokerHostPort() { return host + ":" + ports.broker(); }

    public Path logFile() { return logFile; }

    /**
     * Runs SQL at the broker ({@code /query/sql}) and returns Pinot's whole answer. Fails when Pinot reports
     * an exception or not every server answered, so a partial result is never mistaken for the truth.
     */
    public JsonNode query(String sql) {
        return send(JSON.createObjectNode().put("sql", sql).toString(), sql);
    }

    private JsonNode send(String body, String sql) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + brokerHostPort() + "/query/sql"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Pinot broker answered HTTP " + response.statusCode() + " to '" + sql + "': " + response.body());
            }
            JsonNode answer = JSON.readTree(response.body());
            if (answer.path("exceptions").size() > 0) {
                throw new IllegalStateException("Pinot failed on '" + sql + "': " + answer.path("exceptions"));
            }
            if (answer.path("numServersQueried").asInt() != answer.path("numServersResponded").asInt()) {
                throw new IllegalStateException("Pinot answered '" + sql + "' with a partial result: " + answer);
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the Pinot broker at " + brokerHostPort(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a Pinot query", e);
        }
    }

    /**
     * As {@link #query(String)} with Pinot's query options, e.g. {@code skipUpsert=true} (every stored version of an
     * upsert row, not only the current one).
     */
    public JsonNode query(String sql, String queryOptions) {
        return send(JSON.createObjectNode().put("sql", sql).put("queryOptions", queryOptions).toString(), sql);
    }

    /** The single number a {@code SELECT COUNT(*) ...} returns. */
    public long queryCount(String sql) {
        JsonNode rows = query(sql).path("resultTable").path("rows");
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("'" + sql + "' did not return a single number: " + rows);
        }
        return rows.get(0).get(0).asLong();
    }

    /** SIGTERM (the child stops its services in order), then a forced kill after a grace period. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stop(process);
        try {
            pump.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing to remove
        }
    }

    // A clean stop closes the ZooKeeper sessions, so a restart need not wait for them to expire.
    private static void stop(Process process) {
        // Through the handle: Process.destroy() would also close the pipe and lose the child's last log lines.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Pinot child JVM did not stop within {}, killing it", STOP_GRACE);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    // ---- where the runner's classpath and the table definitions are -------------------------------------

    public static String runnerClasspath(Settings settings) {
        Path file = configured(settings, PinotClusterConfig.RUNNER_CLASSPATH)
                .orElseGet(() -> upwards(Path.of("pinot-runner", "target", "pinot-runner.classpath"),
                        PinotClusterConfig.RUNNER_CLASSPATH));
        try {
            String classpath = Files.readString(file).trim();
            if (classpath.isEmpty()) throw new IllegalStateException(file + " is empty");
            return classpath;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Pinot runner classpath " + file
                    + " (build it with: mvn -pl pinot-runner install)", e);
        }
    }

    private static Path configDir(Settings settings) {
        Path dir = configured(settings, PinotClusterConfig.CONFIG_DIR)
                .orElseGet(() -> upwards(Path.of("pinot", PinotTables.ALL.get(0).schemaFile()),
                        PinotClusterConfig.CONFIG_DIR).getParent());
        for (PinotTables.Table table : PinotTables.ALL) {
            for (String file : List.of(table.schemaFile(), table.tableConfigFile())) {
                if (!Files.isRegularFile(dir.resolve(file))) {
                    throw new IllegalStateException("Pinot table '" + table.name() + "': " + dir.resolve(file) + " missing");
                }
            }
        }
        return dir;
    }

    private static java.util.Optional<Path> configured(Settings settings, ConfigKey<String> key) {
        if (settings.isSet(key)) return java.util.Optional.of(Path.of(settings.get(key)).toAbsolutePath());
        String property = System.getProperty(key.name());
        return property == null || property.isBlank()
                ? java.util.Optional.empty() : java.util.Optional.of(Path.of(property).toAbsolutePath());
    }

    private static Path upwards(Path relative, ConfigKey<String> key) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) return candidate;
        }
        throw new IllegalStateException(relative + " not found upwards from " + Path.of("").toAbsolutePath()
                + "; set '" + key.name() + "'");
    }
}
