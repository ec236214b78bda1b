package de.prokommun.insights.pinot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.apache.pinot.core.transport.QueryServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's copy of Pinot 0.11's netty query server binds the configured address, not the wildcard address
 * pinot-core's binds (issue 15, finding 4), and is the class the runner's classpath loads.
 */
class LoopbackQueryServerTest {

    @AfterEach
    void clearTheProperty() {
        System.clearProperty(QueryServer.BIND_HOST_PROPERTY);
    }

    @Test
    void theQueryPortBindsTheConfiguredLoopbackAddressOnly() throws Exception {
        PinotServices.bindQueryServerTo("127.0.0.1");
        int port = freePort();
        QueryServer server = new QueryServer(port, null, null, null);
        server.start();
        try {
            InetSocketAddress bound = (InetSocketAddress) channel(server).localAddress();
            assertThat(bound.getAddress().isLoopbackAddress()).as("bound to " + bound).isTrue();
            assertThat(bound.getAddress().isAnyLocalAddress()).as("bound to " + bound).isFalse();
            assertThat(bound.getPort()).isEqualTo(port);
            try (Socket s = new Socket("127.0.0.1", port)) {
                assertThat(s.isConnected()).isTrue();
            }
        } finally {
            server.shutDown();
        }
    }

    @Test
    void withoutAnAddressItRefusesToStartRatherThanBindEveryInterface() {
        QueryServer server = new QueryServer(freePort(), null, null, null);
        assertThatThrownBy(server::start).hasMessageContaining(QueryServer.BIND_HOST_PROPERTY)
                .hasMessageContaining("every interface");
    }

    @Test
    void theRunnersCopyIsTheOneOnTheClasspath() throws Exception {
        assertThat(QueryServer.class.getField("BINDS_CONFIGURED_HOST").getBoolean(null)).isTrue();
        assertThat(QueryServer.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .as("loaded from the runner's classes, not pinot-core's jar").doesNotContain("pinot-core");
    }

    private static Channel channel(QueryServer server) throws Exception {
        Field f = QueryServer.class.getDeclaredField("_channel");
        f.setAccessible(true);
        return (Channel) f.get(server);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
