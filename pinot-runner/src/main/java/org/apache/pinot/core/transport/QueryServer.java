package org.apache.pinot.core.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueEventLoopGroup;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.apache.pinot.common.config.NettyConfig;
import org.apache.pinot.common.config.TlsConfig;
import org.apache.pinot.common.metrics.ServerMetrics;
import org.apache.pinot.core.query.scheduler.QueryScheduler;
import org.apache.pinot.core.util.OsCheck;
import org.apache.pinot.server.access.AccessControl;
import org.apache.pinot.server.access.AllowAllAccessFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Pinot 0.11 server's netty query server (Apache License 2.0, pinot-core 0.11.0's
 * {@code org.apache.pinot.core.transport.QueryServer}), shadowed by the runner: this module's classes come first on
 * the child JVM's classpath (src/main/classpath), so this class is loaded instead of pinot-core's.
 * <p>
 * Why: 0.11's server binds its query port with {@code ServerBootstrap.bind(port)}, i.e. the wildcard address, and
 * has no host setting; through that port the raw rows of every table can be queried by anyone who reaches the machine
 * (issue 15, finding 4). This copy is the original, constructor for constructor and handler for handler, except that
 * it binds {@link #BIND_HOST_PROPERTY} (set by {@code PinotServices} from the runner's {@code --host}, 127.0.0.1 in
 * the local mode and tests). Without the property it refuses to start rather than fall back to the wildcard address.
 * {@code PinotServices} checks at start that this class, not pinot-core's, was loaded.
 */
public class QueryServer {
    /** System property naming the address the query port binds. */
    public static final String BIND_HOST_PROPERTY = "prokommun.pinot.server.netty.bind-host";
    /** Marker that {@code PinotServices} reads to tell this copy from pinot-core's. */
    public static final boolean BINDS_CONFIGURED_HOST = true;

    private static final Logger LOGGER = LoggerFactory.getLogger(QueryServer.class);
    private final int _port;
    private final QueryScheduler _queryScheduler;
    private final ServerMetrics _serverMetrics;
    private final TlsConfig _tlsConfig;
    private final AccessControl _accessControl;
    private final EventLoopGroup _bossGroup;
    private final EventLoopGroup _workerGroup;
    private final Class<? extends ServerSocketChannel> _channelClass;
    private Channel _channel;

    public QueryServer(int port, QueryScheduler queryScheduler, ServerMetrics serverMetrics, NettyConfig nettyConfig) {
        this(port, queryScheduler, serverMetrics, nettyConfig, null, new AllowAllAccessFactory().create());
    }

    public QueryServer(int port, QueryScheduler queryScheduler, ServerMetrics serverMetrics, NettyConfig nettyConfig,
            TlsConfig tlsConfig, AccessControl accessControl) {
        _port = port;
        _queryScheduler = queryScheduler;
        _serverMetrics = serverMetrics;
        _tlsConfig = tlsConfig;
        _accessControl = accessControl;
        boolean enableNativeTransports = nettyConfig != null && nettyConfig.isNativeTransportsEnabled();
        OsCheck.OSType operatingSystemType = OsCheck.getOperatingSystemType();
        if (enableNativeTransports && operatingSystemType == OsCheck.OSType.Linux && Epoll.isAvailable()) {
            _bossGroup = new EpollEventLoopGroup();
            _workerGroup = new EpollEventLoopGroup();
            _channelClass = EpollServerSocketChannel.class;
            LOGGER.info("Using Epoll event loop");
        } else if (enableNativeTransports && operatingSystemType == OsCheck.OSType.MacOS && KQueue.isAvailable()) {
            _bossGroup = new KQueueEventLoopGroup();
            _workerGroup = new KQueueEventLoopGroup();
            _channelClass = KQueueServerSocketChannel.class;
            LOGGER.info("Using KQueue event loop");
        } else {
            _bossGroup = new NioEventLoopGroup();
            _workerGroup = new NioEventLoopGroup();
            _channelClass = NioServerSocketChannel.class;
            LOGGER.info("Using NIO event loop");
        }
    }

    /** The address the query port binds: the property, never the wildcard by default. */
    static String bindHost() {
        String host = System.getProperty(BIND_HOST_PROPERTY);
        if (host == null || host.isBlank()) {
            throw new IllegalStateException("system property " + BIND_HOST_PROPERTY + " is not set: the Pinot server's"
                    + " query port would bind every interface; the runner sets it from --host");
        }
        return host;
    }

    public void start() {
        try {
            String host = bindHost();
            ServerBootstrap serverBootstrap = new ServerBootstrap();
            _channel = serverBootstrap.group(_bossGroup, _workerGroup).channel(_channelClass)
                    .option(ChannelOption.SO_BACKLOG, 128).childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (_tlsConfig != null) {
                                ch.pipeline().addLast("ssl", ChannelHandlerFactory.getServerTlsHandler(_tlsConfig, ch));
                            }
                            ch.pipeline().addLast(ChannelHandlerFactory.getLengthFieldBasedFrameDecoder());
                            ch.pipeline().addLast(ChannelHandlerFactory.getLengthFieldPrepender());
                            ch.pipeline().addLast(ChannelHandlerFactory.getInstanceRequestHandler(_queryScheduler,
                                    _serverMetrics, _accessControl));
                        }
                    }).bind(new InetSocketAddress(host, _port)).sync().channel();
            LOGGER.info("Query server bound to {}:{}", host, _port);
        } catch (Exception e) {
            _workerGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            _bossGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new RuntimeException(e);
        }
    }

    public void shutDown() {
        try {
            _channel.close().sync();
        } catch (Exception e) {
            throw new RuntimeException(e);
        } finally {
            _workerGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            _bossGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }
}
