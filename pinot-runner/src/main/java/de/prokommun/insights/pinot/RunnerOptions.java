package de.prokommun.insights.pinot;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the parent JVM tells the runner: where to keep data, which loopback ports to use (all chosen by the
 * parent, none defaulted here), where Kafka is, where the table definitions live and which topic feeds
 * which table. Every listener binds {@code host} (default 127.0.0.1: the local mode and tests listen on loopback
 * only, issue 15; a cluster built from the runner names its own address).
 */
public record RunnerOptions(
        String host,
        Path dataDir,
        int zookeeperPort,
        int controllerPort,
        int brokerPort,
        int serverNettyPort,
        int serverAdminPort,
        int serverGrpcPort,
        String kafkaBootstrap,
        Path configDir,
        Map<String, String> topicByTable,
        OptionalLong parentPid,
        Optional<Duration> purgeInterval,
        Optional<Duration> purgeMaxDelay,
        OptionalDouble purgeMinInvalidShare,
        Optional<Duration> upsertFlushTime,
        OptionalLong upsertFlushRows,
        Role role,
        int replicas,
        int servers) {

    /**
     * Which of Pinot's services this JVM runs: all four (the local mode, the tests), or one ({@code ./run-cluster}: a
     * process per service). The controller of a cluster creates the tables once {@code servers} servers are live.
     */
    public enum Role { ALL, ZOOKEEPER, CONTROLLER, BROKER, SERVER }

    static final String USAGE = "usage: PinotMain --data-dir=DIR --zk-port=N --controller-port=N --broker-port=N"
            + " --server-netty-port=N --server-admin-port=N --server-grpc-port=N --kafka-bootstrap=HOST:PORT"
            + " --config-dir=DIR --table=TABLE=TOPIC [--table=...] [--parent-pid=PID] [--host=ADDRESS]"
            + " [--purge-interval=ISO-8601 duration] [--purge-max-delay=ISO-8601 duration]"
            + " [--purge-min-invalid-share=0..1] [--upsert-flush-time=ISO-8601 duration]"
            + " [--upsert-flush-rows=N] [--role=all|zookeeper|controller|broker|server] [--replicas=N] [--servers=N]";

    /** The address every listener binds when {@code --host} is not given. */
    static final String DEFAULT_HOST = "127.0.0.1";

    /** Parses {@code --name=value} arguments; every problem names the argument and the reason. */
    public static RunnerOptions parse(String[] args) {
        Map<String, String> single = new LinkedHashMap<>();
        List<String> tables = new ArrayList<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.indexOf('=') < 0) {
                throw new IllegalArgumentException("argument '" + arg + "': expected --name=value. " + USAGE);
            }
            String name = arg.substring(2, arg.indexOf('='));
            String value = arg.substring(arg.indexOf('=') + 1);
            if (name.equals("table")) {
                tables.add(value);
            } else if (single.put(name, value) != null) {
                throw new IllegalArgumentException("argument --" + name + ": given twice");
            }
        }
        RunnerOptions options = new RunnerOptions(
                host(single),
                Path.of(required(single, "data-dir")).toAbsolutePath(),
                port(single, "zk-port"),
                port(single, "controller-port"),
                port(single, "broker-port"),
                port(single, "server-netty-port"),
                port(single, "server-admin-port"),
                port(single, "server-grpc-port"),
                required(single, "kafka-bootstrap"),
                Path.of(required(single, "config-dir")).toAbsolutePath(),
                tableTopics(tables),
                single.containsKey("parent-pid")
                        ? OptionalLong.of(number(single, "parent-pid")) : OptionalLong.empty(),
                duration(single, "purge-interval"),
                delay(single, "purge-max-delay"),
                share(single, "purge-min-invalid-share"),
                duration(single, "upsert-flush-time"),
                single.containsKey("upsert-flush-rows") ? OptionalLong.of(positive(single, "upsert-flush-rows")) : OptionalLong.empty(),
                role(single),
                single.containsKey("replicas") ? (int) positive(single, "replicas") : 1,
                single.containsKey("servers") ? (int) positive(single, "servers") : 1);
        single.keySet().removeAll(List.of("data-dir", "zk-port", "controller-port", "broker-port",
                "server-netty-port", "server-admin-port", "server-grpc-port", "kafka-bootstrap", "config-dir",
                "parent-pid", "host", "purge-interval", "purge-max-delay", "purge-min-invalid-share", "upsert-flush-time", "upsert-flush-rows", "role", "replicas", "servers"));
        if (options.replicas() > options.servers()) {
            throw new IllegalArgumentException("argument --replicas: " + options.replicas() + " replicas need at least as many"
                    + " servers (--servers=" + options.servers() + ")");
        }
        if (!single.isEmpty()) {
            throw new IllegalArgumentException("unknown argument(s) " + single.keySet() + ". " + USAGE);
        }
        return options;
    }

    private static Map<String, String> tableTopics(List<String> tables) {
        if (tables.isEmpty()) throw new IllegalArgumentException("argument --table: at least one TABLE=TOPIC required");
        Map<String, String> topics = new LinkedHashMap<>();
        for (String t : tables) {
            int eq = t.indexOf('=');
            if (eq <= 0 || eq == t.length() - 1) {
                throw new IllegalArgumentException("argument --table='" + t + "': expected TABLE=TOPIC");
            }
            topics.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return Map.copyOf(topics);
    }

    private static Role role(Map<String, String> args) {
        if (!args.containsKey("role")) return Role.ALL;
        String v = required(args, "role");
        try {
            return Role.valueOf(v.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("argument --role: unknown role '" + v + "' (known: all, zookeeper, controller,"
                    + " broker, server)");
        }
    }

    // An address, not a wildcard: 0.0.0.0 or :: would open every listener (raw rows included) to the network.
    private static String host(Map<String, String> args) {
        if (!args.containsKey("host")) return DEFAULT_HOST;
        String h = args.get("host").trim();
        if (h.isEmpty()) throw new IllegalArgumentException("argument --host: empty; omit it for " + DEFAULT_HOST);
        if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]") || h.equals("*")) {
            throw new IllegalArgumentException("argument --host: '" + h + "' is the wildcard address; name the one"
                    + " address the listeners may bind");
        }
        return h;
    }

    private static String required(Map<String, String> args, String name) {
        String v = args.get(name);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("argument --" + name + ": required. " + USAGE);
        return v.trim();
    }

    private static long number(Map<String, String> args, String name) {
        String v = required(args, name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument --" + name + ": not a number: '" + v + "'");
        }
    }

    private static long positive(Map<String, String> args, String name) {
        long n = number(args, name);
        if (n < 1) throw new IllegalArgumentException("argument --" + name + ": must be at least 1, got " + n);
        return n;
    }

    /** An optional ISO-8601 duration ("PT1H") of at least one second; absent when not given. */
    private static Optional<Duration> duration(Map<String, String> args, String name) {
        return duration(args, name, Duration.ofSeconds(1), "at least one second");
    }

    /** An optional ISO-8601 duration that may be zero ("at once"); absent when not given. */
    private static Optional<Duration> delay(Map<String, String> args, String name) {
        return duration(args, name, Duration.ZERO, "not negative");
    }

    private static Optional<Duration> duration(Map<String, String> args, String name, Duration min, String rule) {
        if (!args.containsKey(name)) return Optional.empty();
        String v = required(args, name);
        Duration d;
        try {
            d = Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("argument --" + name + ": not an ISO-8601 duration (e.g. PT1H): '" + v + "'");
        }
        if (d.compareTo(min) < 0) throw new IllegalArgumentException("argument --" + name + ": must be " + rule + ", got " + v);
        return Optional.of(d);
    }

    /** An optional share in (0, 1]; absent when not given. */
    private static OptionalDouble share(Map<String, String> args, String name) {
        if (!args.containsKey(name)) return OptionalDouble.empty();
        String v = required(args, name);
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument --" + name + ": not a number: '" + v + "'");
        }
        if (!(d > 0 && d <= 1)) throw new IllegalArgumentException("argument --" + name + ": must be in (0, 1], got " + v);
        return OptionalDouble.of(d);
    }

    // The parent picks free ports; an ephemeral port (0) would leave it unable to find the listener.
    private static int port(Map<String, String> args, String name) {
        long p = number(args, name);
        if (p < 1 || p > 65535) throw new IllegalArgumentException("argument --" + name + ": port must be 1..65535, got " + p);
        return (int) p;
    }
}
