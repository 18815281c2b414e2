package io.paystream.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's callback gateway: terminates the channels' HTTP notifications ({@link Endpoint}) and
 * publishes each one unchanged to {@code payment.callbacks} as the contract's envelope. A channel
 * gets its success answer only after Kafka acknowledged the record ({@code acks=all}, idempotent
 * producer); on an error or after {@code gateway.publish-timeout} it gets its failure answer and
 * resends. So whatever was answered as success is durable; a notification may be published more
 * than once (an acknowledgement lost on its way back), which the jobs' deduplication absorbs.
 *
 * <pre>{@code
 * try (CallbackGateway g = CallbackGateway.start(GatewaySettings.builder()
 *         .set("kafka.bootstrap-servers", "localhost:9092").set("gateway.port", "0").build())) {
 *     int port = g.port();
 * }
 * }</pre>
 *
 * {@link #close()} shuts down gracefully: it stops accepting, lets the requests in flight be
 * answered (up to {@code gateway.shutdown-timeout}, after which they get the failure answer),
 * closes idle connections, then flushes and closes the producer.
 */
public final class CallbackGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackGateway.class);

    final GatewaySettings settings;
    final GatewayMetrics metrics = new GatewayMetrics();
    final Publisher publisher;
    final Set<Exchange> pending = ConcurrentHashMap.newKeySet();
    final ChannelGroup connections = new DefaultChannelGroup("gateway-connections", GlobalEventExecutor.INSTANCE);
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel server;
    private final Object idle = new Object();
    volatile boolean draining;
    private boolean closed;

    private CallbackGateway(GatewaySettings settings) {
        this.settings = settings;
        this.publisher = new Publisher(settings);
        this.acceptor = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        int threads = settings.get(GatewayOptions.IO_THREADS);
        this.workers = new MultiThreadIoEventLoopGroup(
                threads == 0 ? Runtime.getRuntime().availableProcessors() : threads, NioIoHandler.newFactory());
        try {
            this.server = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            GatewayHandler handler = new GatewayHandler(CallbackGateway.this);
                            ch.pipeline()
                                    .addLast("first-byte", handler.firstByteWatcher())
                                    .addLast(
                                            "http",
                                            new HttpServerCodec(new HttpDecoderConfig()
                                                    .setMaxInitialLineLength(4096)
                                                    .setMaxHeaderSize(16 * 1024)
                                                    .setMaxChunkSize(16 * 1024)))
                                    .addLast("gateway", handler);
                        }
                    })
                    .bind(settings.get(GatewayOptions.HOST), settings.get(GatewayOptions.PORT))
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            publisher.close(Duration.ZERO);
            throw e;
        }
    }

    /** Starts the gateway on {@code gateway.host}:{@code gateway.port} (0: a free port, see {@link #port()}). */
    public static CallbackGateway start(GatewaySettings settings) {
        CallbackGateway g = new CallbackGateway(settings);
        LOG.info(
                "callback gateway listening on port {}, publishing to {} ({})",
                g.port(),
                settings.get(GatewayOptions.TOPIC_CALLBACKS),
                settings);
        return g;
    }

    /** The port it listens on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Its counters (also on {@code GET /metrics}). */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** The paths it serves notifications on. */
    public static List<String> notificationPaths() {
        return java.util.Arrays.stream(Endpoint.values()).map(e -> e.path).toList();
    }

    private final java.util.concurrent.atomic.AtomicLong lastWarning = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong unwarned = new java.util.concurrent.atomic.AtomicLong();

    /** One line a second at most while Kafka is away, with how many failures it stands for. */
    void warnNotPublished(Endpoint.Channel channel, Exception error) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        long suppressed = unwarned.incrementAndGet();
        if (now - last >= TimeUnit.SECONDS.toNanos(1) && lastWarning.compareAndSet(last, now)) {
            unwarned.addAndGet(-suppressed);
            LOG.warn(
                    "{} notification(s) not published, answered with the failure answer so that the channel resends;"
                            + " latest: {} ({})",
                    suppressed,
                    channel,
                    error.toString());
        }
    }

    void released() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    private boolean awaitNoneInFlight(long deadlineNanos) {
        synchronized (idle) {
            while (metrics.inFlight.get() > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Graceful shutdown: stops accepting, closes idle connections, waits for the requests in flight
     * to be answered (up to {@code gateway.shutdown-timeout}; any left then get the failure answer),
     * then flushes and closes the producer and the connections.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        server.close().syncUninterruptibly();
        for (Channel c : connections) {
            c.pipeline().fireUserEventTriggered(GatewayHandler.DRAIN);
        }
        Duration timeout = settings.get(GatewayOptions.SHUTDOWN_TIMEOUT);
        boolean finished = awaitNoneInFlight(System.nanoTime() + timeout.toNanos());
        if (!finished) {
            LOG.warn(
                    "{} notification requests still in flight after {}: answering them with the failure answer",
                    metrics.inFlight(),
                    timeout);
            for (Exchange e : pending) {
                e.finish(new IllegalStateException("the gateway is shutting down"), "shutdown");
            }
            awaitNoneInFlight(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        }
        publisher.close(Duration.ofSeconds(5));
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        LOG.info("callback gateway stopped: {} published, {} failed", metrics.publishedTotal(), metrics.failedTotal());
    }
}
