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
    static final String HOST = "127.0.0.1";

    private final RunnerOptions options;
    private LoopbackZooKeeper zookeeper;
    private ControllerStarter controller;
    private HelixBrokerStarter broker;
    private HelixServerStarter server;

    public PinotServices(RunnerOptions options) {
        this.options = options;
    }

    /** Starts the four services in the order Pinot needs them. */
    public void start() throws Exception {
        Path data = options.dataDir();
        Files.createDirectories(data);
        zookeeper = new LoopbackZooKeeper(HOST, options.zookeeperPort());
        zookeeper.start(data.resolve("zookeeper"));
        LOG.info("ZooKeeper up on {}:{}", HOST, options.zookeeperPort());

        controller = new ControllerStarter();
        controller.init(new PinotConfiguration(controllerConfig(data)));
        controller.start();
        LOG.info("Controller up on {}:{}", HOST, options.controllerPort());

        broker = new HelixBrokerStarter();
        broker.init(new PinotConfiguration(brokerConfig()));
        broker.start();
        LOG.info("Broker up on {}:{}", HOST, options.brokerPort());

        server = new HelixServerStarter();
        server.init(new PinotConfiguration(serverConfig(data)));
        server.start();
        LOG.info("Server up (netty {}, admin {}:{}; gRPC off)", options.serverNettyPort(), HOST,
                options.serverAdminPort());
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
        c.put("controller.zk.str", HOST + ":" + options.zookeeperPort());
        c.put("controller.helix.cluster.name", CLUSTER);
        c.put("controller.host", HOST);
        // One listener on loopback (controller.port would add a second one on 0.0.0.0).
        c.put("controller.access.protocols", "http");
        c.put("controller.access.protocols.http.host", HOST);
        c.put("controller.access.protocols.http.port", String.valueOf(options.controllerPort()));
        c.put("controller.vip.host", HOST);
        c.put("controller.vip.port", String.valueOf(options.controllerPort()));
        c.put("controller.data.dir", dir(data, "controller-segments"));
        c.put("controller.local.temp.dir", dir(data, "controller-tmp"));
        c.put("controller.enable.split.commit", "true");
        return c;
    }

    private Map<String, Object> brokerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put("pinot.zk.server", HOST + ":" + options.zookeeperPort());
        c.put("pinot.cluster.name", CLUSTER);
        c.put("pinot.broker.hostname", HOST);
        c.put("pinot.broker.client.access.protocols", "http");
        c.put("pinot.broker.client.access.protocols.http.host", HOST);
        c.put("pinot.broker.client.access.protocols.http.port", String.valueOf(options.brokerPort()));
        c.put("pinot.broker.delayShutdownTimeMs", "0");
        return c;
    }

    private Map<String, Object> serverConfig(Path data) {
        Map<String, Object> c = new HashMap<>();
        c.put("pinot.zk.server", HOST + ":" + options.zookeeperPort());
        c.put("pinot.cluster.name", CLUSTER);
        c.put("pinot.server.netty.host", HOST);
        c.put("pinot.server.netty.port", String.valueOf(options.serverNettyPort()));
        // The gRPC query server binds every interface (0.11 has no host setting) and streams raw rows; the broker
        // queries over netty, so it stays off.
        c.put("pinot.server.grpc.enable", "false");
        c.put("pinot.server.grpc.port", String.valueOf(options.serverGrpcPort()));
        c.put("pinot.server.adminapi.access.protocols", "http");
        c.put("pinot.server.adminapi.access.protocols.http.host", HOST);
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
