package de.prokommun.insights.local.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node of {@code ./run-cluster}: its own JVM with its own role, port, data directory and log file. It can be
 * stopped (SIGTERM, as an operator would), killed (SIGKILL, as a crash would) and started again with the same
 * command, data directory and port.
 */
public final class NodeProcess {
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** Where {@link WithLauncher} is loaded from (the local module's classes or jar). */
    private static final String OWN_CLASSES = codeSource();

    private final String role;
    private final int port;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    NodeProcess(String role, int port, List<String> command, Map<String, String> environment, Path log) {
        this.role = role;
        this.port = port;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    /** A JVM running {@code mainClass} with this classpath, heap and arguments. */
    static NodeProcess jvm(String role, int port, String classpath, String heap, List<String> jvmOptions, String mainClass,
                           List<String> arguments, Path log) {
        List<String> c = new ArrayList<>(List.of(javaBinary(), "-Xmx" + heap, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.net.preferIPv4Stack=true", markerOption(log)));
        c.addAll(jvmOptions);
        // every classpath of the cluster holds the local module's classes (Pinot's gets them appended)
        c.addAll(List.of("-cp", classpath + java.io.File.pathSeparator + OWN_CLASSES, WithLauncher.class.getName(),
                Long.toString(ProcessHandle.current().pid()), mainClass));
        c.addAll(arguments);
        return new NodeProcess(role, port, c, Map.of(), log);
    }

    private static String codeSource() {
        try {
            return Path.of(WithLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A system property naming the node's log: how a later launcher recognises a node it left running. */
    private static String markerOption(Path log) {
        return "-Dprokommun.node=" + log.toAbsolutePath();
    }

    private String marker() {
        return markerOption(log);
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Starts the JVM (again, after a stop or kill), appending its output to its log file. */
    public synchronized void start() {
        if (process != null && process.isAlive()) throw new IllegalStateException(role + " is already running");
        stopLeftover();
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
            Files.writeString(pidFile(), Long.toString(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + role, e);
        }
    }

    /** Waits until the node accepts connections on its port; fails with the end of its log if it dies first. */
    void awaitListening(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) throw new IllegalStateException(role + " ended before listening on " + port + "; log " + log + ":\n" + tail());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(ClusterLayout.HOST, port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException(role + " not listening on " + port + " within " + timeout + "; log " + log + ":\n" + tail());
    }

    /** Waits until the node's log holds {@code line} (a readiness line the node prints). */
    void awaitLogLine(String line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (logContains(line)) return;
            if (!isAlive()) throw new IllegalStateException(role + " ended before it was ready; log " + log + ":\n" + tail());
            Thread.sleep(250);
        }
        throw new IllegalStateException(role + " not ready within " + timeout + "; log " + log + ":\n" + tail());
    }

    private boolean logContains(String line) {
        try {
            return Files.exists(log) && Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1).contains(line);
        } catch (IOException e) {
            return false;
        }
    }

    /** Where the node's pid is kept: a launcher that died without stopping its nodes leaves them running. */
    private Path pidFile() {
        return log.resolveSibling(role + ".pid");
    }

    /**
     * Stops the node a previous launcher left running on this data directory (it would hold the node's port and
     * data), recognised by its pid and its command line.
     */
    private void stopLeftover() {
        Path file = pidFile();
        if (!Files.exists(file)) return;
        try {
            long pid = Long.parseLong(Files.readString(file).trim());
            ProcessHandle.of(pid).filter(h -> h.info().commandLine().map(c -> c.contains(marker())).orElse(false)).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        } catch (IOException | NumberFormatException e) {
            // no readable pid: nothing to stop
        }
    }

    /** SIGTERM, then SIGKILL after a grace period: the node's shutdown hooks run. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM without waiting: stopping all nodes at once takes one grace period, not fifteen. */
    public synchronized void signalStop() {
        if (process != null && process.isAlive()) process.destroy();
    }

    /** SIGKILL: the node dies as in a crash, without its shutdown hooks. */
    public synchronized void kill() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public String role() {
        return role;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    String tail() {
        try {
            if (!Files.exists(log)) return "(no log)";
            List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
