package de.prokommun.insights.pinot;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.zookeeper.server.ServerConfig;
import org.apache.zookeeper.server.ZooKeeperServerMain;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;

/**
 * A standalone ZooKeeper for the local Pinot cluster that listens on the loopback address only. Pinot's own
 * {@code ZkStarter} parses its arguments into a client port on the wildcard address, so anyone on the machine's
 * network could read and change the cluster's metadata; here the port comes with {@code clientPortAddress}, and the
 * admin HTTP server (port 8080 on every interface by default) is off.
 */
final class LoopbackZooKeeper implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** ZooKeeperServerMain keeps its shutdown protected. */
    private static final class Main extends ZooKeeperServerMain {
        void stop() {
            shutdown();
        }
    }

    private final Main main = new Main();
    private final String host;
    private final int port;
    private Thread thread;
    private volatile Exception failed;

    LoopbackZooKeeper(String host, int port) {
        this.host = host;
        this.port = port;
    }

    void start(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        System.setProperty("zookeeper.admin.enableServer", "false");
        Properties p = new Properties();
        p.setProperty("dataDir", dataDir.toAbsolutePath().toString());
        p.setProperty("clientPort", String.valueOf(port));
        p.setProperty("clientPortAddress", host);
        p.setProperty("tickTime", "2000");
        p.setProperty("maxClientCnxns", "0");
        QuorumPeerConfig quorum = new QuorumPeerConfig();
        quorum.parseProperties(p);
        ServerConfig config = new ServerConfig();
        config.readFrom(quorum);
        thread = new Thread(() -> {
            try {
                main.runFromConfig(config);
            } catch (Exception e) {
                failed = e;
            }
        }, "zookeeper-" + port);
        thread.setDaemon(true);
        thread.start();
        awaitListening();
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (failed != null) throw new IllegalStateException("ZooKeeper did not start on " + host + ":" + port, failed);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("ZooKeeper did not listen on " + host + ":" + port + " within " + START_TIMEOUT);
    }

    @Override
    public void close() {
        main.stop();
        if (thread != null) {
            try {
                thread.join(START_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
