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
 * broker answers on each and then prints exactly one line {@value #READY_PREFIX}... to stdout. Stops on
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
            services.applyTables(definitions(options));
            new BrokerReadiness(options.host(), options.brokerPort())
                    .await(options.topicByTable().keySet(), READY_TIMEOUT);
        } catch (Exception e) {
            LOG.error("Pinot failed to start", e);
            System.exit(1);
        }
        System.out.println(readyLine(options));
        System.out.flush();
    }

    static String readyLine(RunnerOptions options) {
        return READY_PREFIX + "controller=" + options.host() + ":" + options.controllerPort()
                + " broker=" + options.host() + ":" + options.brokerPort();
    }

    private static List<TableDefinition> definitions(RunnerOptions options) {
        List<TableDefinition> tables = new ArrayList<>();
        for (Map.Entry<String, String> e : options.topicByTable().entrySet()) {
            tables.add(TableDefinition.load(options.configDir(), e.getKey(), options.kafkaBootstrap(), e.getValue()));
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
