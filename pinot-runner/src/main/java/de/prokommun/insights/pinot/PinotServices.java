package de.prokommun.insights.pinot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pinot.broker.broker.helix.HelixBrokerStarter;
import org.apache.pinot.controller.ControllerStarter;
import org.apache.pinot.controller.helix.core.PinotHelixResourceManager;
import org.apache.pinot.segment.local.utils.TableConfigUtils;
import org.apache.pinot.server.starter.helix.HelixServerStarter;
import org.apache.pinot.spi.config.table.TableConfig;
import org.apache.pinot.spi.env.PinotConfiguration;
import org.apache.pinot.spi.utils.builder.TableNameBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper, controller, broker and server of one Pinot cluster in this JVM. Every state lives below the
 * data directory (ZooKeeper's data, the controller's segment store, the server's segments), so a restart on
 * the same directory finds its tables and rows again.
 */
public final class PinotServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PinotServices.class);
    static final String CLUSTER = "ProKommunInsights";
    private static final String TENANT = "DefaultTenant";

    private final RunnerOptions options;
    private LoopbackZooKeeper zookeeper;
    private ControllerStarter controller;
    private HelixBrokerStarter broker;
    private HelixServerStarter server;

    private final String host;

    public PinotServices(RunnerOptions options) {
        this.options = options;
        this.host = options.host();
    }

    /** Starts the services of this JVM's role (all four, in the order Pinot needs them, or one). */
    public void start() throws Exception {
        Path data = options.dataDir();
        Files.createDirectories(data);
        RunnerOptions.Role role = options.role();
        boolean all = role == RunnerOptions.Role.ALL;
        if (all || role == RunnerOptions.Role.ZOOKEEPER) {
            zookeeper = new LoopbackZooKeeper(host, options.zookeeperPort());
            zookeeper.start(data.resolve("zookeeper"));
            LOG.info("ZooKeeper up on {}:{}", host, options.zookeeperPort());
        }
        if (all || role == RunnerOptions.Role.CONTROLLER) {
            controller = new ControllerStarter();
            controller.init(new PinotConfiguration(controllerConfig(data)));
            controller.start();
            LOG.info("Controller up on {}:{}", host, options.controllerPort());
        }
        if (all || role == RunnerOptions.Role.BROKER) {
            broker = new HelixBrokerStarter();
            broker.init(new PinotConfiguration(brokerConfig()));
            broker.start();
            LOG.info("Broker up on {}:{}", host, options.brokerPort());
        }
        if (all || role == RunnerOptions.Role.SERVER) {
            bindQueryServerTo(host);
            server = new HelixServerStarter();
            server.init(new PinotConfiguration(serverConfig(data)));
            server.start();
            LOG.info("Server up (netty {}, admin {}:{}; gRPC off)", options.serverNettyPort(), host,
                    options.serverAdminPort());
        }
    }

    /** Whether this JVM runs the controller (which creates the tables and purges old upsert versions). */
    boolean runsController() {
        return controller != null;
    }

    /**
     * Waits until a broker and {@code servers} servers have joined the cluster: a table needs a broker to answer it,
     * and one whose segments are held by several replicas can only be created once that many servers hold them.
     */
    void awaitServers(int servers, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        PinotHelixResourceManager resources = controller.getHelixResourceManager();
        while (true) {
            int joined = resources.getAllInstancesForServerTenant(TENANT).size();
            int brokers = resources.getAllInstancesForBrokerTenant(TENANT).size();
            if (joined >= servers && brokers >= 1) return;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(servers + " Pinot servers and a broker expected; " + joined + " servers and "
                        + brokers + " brokers joined within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    /**
     * The server's netty query port binds {@code host}: pinot-core 0.11 binds it to the wildcard address, so the runner
     * ships its own {@code org.apache.pinot.core.transport.QueryServer} (first on the classpath), which reads the
     * address from a system property. Refuses to start if pinot-core's class was loaded instead.
     */
    static void bindQueryServerTo(String host) {
        System.setProperty(org.apache.pinot.core.transport.QueryServer.BIND_HOST_PROPERTY, host);
        try {
            org.apache.pinot.core.transport.QueryServer.class.getField("BINDS_CONFIGURED_HOST");
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("the Pinot server's query port would bind every interface: pinot-core's"
                    + " QueryServer was loaded from " + org.apache.pinot.core.transport.QueryServer.class
                    .getProtectionDomain().getCodeSource() + " instead of the runner's; its classes must come first on"
                    + " the classpath (pinot-runner/src/main/classpath)", e);
        }
    }

    /** The controller's resource manager (segment metadata and deletion for {@link UpsertPurge}). */
    PinotHelixResourceManager resources() {
        return controller.getHelixResourceManager();
    }

    /** Adds each table, or updates it when a restart finds it already defined. */
    public void applyTables(List<TableDefinition> tables) throws Exception {
        PinotHelixResourceManager resources = controller.getHelixResourceManager();
        for (TableDefinition table : tables) {
            TableConfig config = table.tableConfig();
            TableConfigUtils.validate(config, table.schema());
            if (resources.getSchema(table.schema().getSchemaName()) == null) {
                resources.addSchema(table.schema(), false);
            } else {
                resources.updateSchema(table.schema(), false);
            }
            String nameWithType = TableNameBuilder.forType(config.getTableType()).tableNameWithType(config.getTableName());
            if (resources.getTableConfig(nameWithType) == null) {
                resources.addTable(config);
                LOG.info("Table {} created", nameWithType);
            } else {
                resources.updateTableConfig(config);
                LOG.info("Table {} updated", nameWithType);
            }
        }
    }

    private Map<String, Object> controllerConfig(Path data) {
        Map<String, Object> c = new HashMap<>();
        c.put("controller.zk.str", host + ":" + options.zookeeperPort());
        c.put("controller.helix.cluster.name", CLUSTER);
        c.put("controller.host", host);
        // One listener on loopback (controller.port would add a second one on 0.0.0.0).
        c.put("controller.access.protocols", "http");
        c.put("controller.access.protocols.http.host", host);
        c.put("controller.access.protocols.http.port", String.valueOf(options.controllerPort()));
        c.put("controller.vip.host", host);
        c.put("controller.vip.port", String.valueOf(options.controllerPort()));
        c.put("controller.data.dir", dir(data, "controller-segments"));
        c.put("controller.local.temp.dir", dir(data, "controller-tmp"));
        c.put("controller.enable.split.commit", "true");
        return c;
    }

    private Map<String, Object> brokerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put("pinot.zk.server", host + ":" + options.zookeeperPort());
        c.put("pinot.cluster.name", CLUSTER);
        c.put("pinot.broker.hostname", host);
        c.put("pinot.broker.client.access.protocols", "http");
        c.put("pinot.broker.client.access.protocols.http.host", host);
        c.put("pinot.broker.client.access.protocols.http.port", String.valueOf(options.brokerPort()));
        c.put("pinot.broker.delayShutdownTimeMs", "0");
        // A server whose connection failed leaves the routing at once (until it answers again), not only when its
        // ZooKeeper session expires: with 2 replicas, a retried query is answered by the live one (issue 17 (d)).
        c.put("pinot.broker.failure.detector.type", "CONNECTION");
        return c;
    }

    private Map<String, Object> serverConfig(Path data) {
        Map<String, Object> c = new HashMap<>();
        c.put("pinot.zk.server", host + ":" + options.zookeeperPort());
        c.put("pinot.cluster.name", CLUSTER);
        c.put("pinot.server.netty.host", host);
        c.put("pinot.server.netty.port", String.valueOf(options.serverNettyPort()));
        // The gRPC query server binds every interface (0.11 has no host setting) and streams raw rows; the broker
        // queries over netty, so it stays off.
        c.put("pinot.server.grpc.enable", "false");
        c.put("pinot.server.grpc.port", String.valueOf(options.serverGrpcPort()));
        c.put("pinot.server.adminapi.access.protocols", "http");
        c.put("pinot.server.adminapi.access.protocols.http.host", host);
        c.put("pinot.server.adminapi.access.protocols.http.port", String.valueOf(options.serverAdminPort()));
        c.put("pinot.server.instance.dataDir", dir(data, "server-data"));
        c.put("pinot.server.instance.segmentTarDir", dir(data, "server-segment-tars"));
        c.put("pinot.server.instance.readMode", "mmap");
        c.put("pinot.server.instance.realtime.alloc.offheap", "true");
        // No catch-up wait at start: 0.11's offset-based checker compares with the log end offset, which a
        // transactional topic's commit marker keeps one ahead of the last record, so it would always time out.
        // After a restart the consuming segment re-reads its rows from Kafka within seconds.
        c.put("pinot.server.starter.enableRealtimeOffsetBasedConsumptionStatusChecker", "false");
        c.put("pinot.server.starter.realtimeConsumptionCatchupWaitMs", "0");
        c.put("pinot.server.startup.serviceStatusCheckIntervalMs", "500");
        c.put("pinot.server.shutdown.enableQueryCheck", "false");
        c.put("pinot.server.shutdown.timeoutMs", "10000");
        return c;
    }

    private static String dir(Path data, String name) {
        return data.resolve(name).toAbsolutePath().toString();
    }

    /** Stops in reverse order; each stop is attempted even if an earlier one fails. */
    @Override
    public void close() {
        if (server != null) stopQuietly("server", server::stop);
        if (broker != null) stopQuietly("broker", broker::stop);
        if (controller != null) stopQuietly("controller", controller::stop);
        if (zookeeper != null) stopQuietly("ZooKeeper", zookeeper::close);
        server = null;
        broker = null;
        controller = null;
        zookeeper = null;
    }

    private static void stopQuietly(String what, Runnable stop) {
        try {
            stop.run();
            LOG.info("{} stopped", what);
        } catch (RuntimeException e) {
            LOG.warn("stopping the {} failed", what, e);
        }
    }
}
