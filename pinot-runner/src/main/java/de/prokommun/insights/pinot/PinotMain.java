package de.prokommun.insights.pinot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the Pinot child JVM started by the test kit and the local mode. Starts ZooKeeper,
 * controller, broker and server, creates or updates every table named on the command line, waits until the
 * broker answers on each and then prints exactly one line {@value #READY_PREFIX}... to stdout. In a cluster
 * ({@code --role}) each JVM runs one service and prints the line once it is up; the controller's JVM creates the
 * tables when {@code --servers} servers have joined and prints it once the broker answers on each. Stops on
 * SIGTERM, and on its own when the parent process is gone.
 */
public final class PinotMain {

    static final String READY_PREFIX = "PINOT READY ";
    private static final Logger LOG = LoggerFactory.getLogger(PinotMain.class);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private PinotMain() {}

    public static void main(String[] args) {
        RunnerOptions options;
        try {
            options = RunnerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        PinotServices services = new PinotServices(options);
        Runtime.getRuntime().addShutdownHook(new Thread(services::close, "pinot-shutdown"));
        options.parentPid().ifPresent(PinotMain::exitWithParent);
        try {
            services.start();
            if (services.runsController()) {
                services.awaitServers(options.servers(), READY_TIMEOUT);
                List<TableDefinition> definitions = definitions(options);
                services.applyTables(definitions);
                new BrokerReadiness(options.host(), options.brokerPort())
                        .await(options.topicByTable().keySet(), READY_TIMEOUT);
                schedulePurge(options, services, definitions);
            }
        } catch (Exception e) {
            LOG.error("Pinot failed to start", e);
            System.exit(1);
        }
        System.out.println(readyLine(options));
        System.out.flush();
        awaitTermination(); // ZooKeeper alone (a cluster's node) runs on daemon threads: main must not end
    }

    private static void awaitTermination() {
        try {
            new java.util.concurrent.CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String readyLine(RunnerOptions options) {
        return READY_PREFIX + "controller=" + options.host() + ":" + options.controllerPort()
                + " broker=" + options.host() + ":" + options.brokerPort();
    }

    /**
     * Every {@code --purge-interval} (after the previous run has ended) the upsert tables' old versions of deleted
     * rows are purged ({@link UpsertPurge}); off without the option.
     */
    private static void schedulePurge(RunnerOptions options, PinotServices services, List<TableDefinition> definitions) {
        if (options.purgeInterval().isEmpty()) return;
        Duration every = options.purgeInterval().get();
        List<UpsertPurge.Table> tables = new ArrayList<>();
        for (TableDefinition d : definitions) {
            var upsert = d.tableConfig().getUpsertConfig();
            if (upsert == null) continue;
            String comparison = upsert.getComparisonColumn() != null ? upsert.getComparisonColumn()
                    : d.tableConfig().getValidationConfig().getTimeColumnName();
            tables.add(new UpsertPurge.Table(d.name(), options.topicByTable().get(d.name()),
                    d.schema().getPrimaryKeyColumns(), comparison));
        }
        UpsertPurge purge = new UpsertPurge(services.resources(),
                new BrokerSql(options.host(), options.brokerPort()), options.kafkaBootstrap(), Duration.ofMinutes(2),
                policy(options));
        var scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "upsert-purge");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            for (UpsertPurge.Table t : tables) {
                try {
                    long started = System.nanoTime();
                    UpsertPurge.Result r = purge.purge(t);
                    LOG.info("purge of {}: {} segments rewritten ({} rows sent again), {} left alone, in {} s; {} segments"
                                    + " still hold old versions of deletions (earliest due {}; a consuming segment"
                                    + " waits until it completes)", t.name(),
                            r.rewritten().size(), r.rowsProduced(), r.leftAlone().size(),
                            String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9),
                            r.pending(), r.nextDue().map(Object::toString).orElse("-"));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("purge of {} failed; the next run tries again", t.name(), e);
                }
            }
        }, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        LOG.info("Purge of old upsert versions every {} for {} ({})", every,
                tables.stream().map(UpsertPurge.Table::name).toList(), policy(options));
    }

    /**
     * Without {@code --purge-max-delay} a deletion is due at once (the old versions go at the next run), and without
     * {@code --purge-min-invalid-share} only a segment serving nothing any more is dropped for compaction's sake.
     */
    static UpsertPurge.Policy policy(RunnerOptions options) {
        return new UpsertPurge.Policy(options.purgeMinInvalidShare().orElse(1.0),
                options.purgeMaxDelay().orElse(Duration.ZERO));
    }

    private static List<TableDefinition> definitions(RunnerOptions options) {
        List<TableDefinition> tables = new ArrayList<>();
        for (Map.Entry<String, String> e : options.topicByTable().entrySet()) {
            tables.add(TableDefinition.load(options.configDir(), e.getKey(), options.kafkaBootstrap(), e.getValue(),
                    options.upsertFlushTime(), options.upsertFlushRows(), options.replicas()));
        }
        return tables;
    }

    // A parent killed without running its shutdown hooks must not leave an orphaned cluster holding ports.
    private static void exitWithParent(long pid) {
        ProcessHandle.of(pid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> {
                    LOG.warn("Parent process {} is gone, stopping", pid);
                    System.exit(0);
                }),
                () -> {
                    LOG.error("Parent process {} does not exist", pid);
                    System.exit(3);
                });
    }
}
