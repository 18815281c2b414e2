package io.paystream.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.servers.KafkaServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Notifications/s and latency through the gateway (acks=all, idempotent producer, a real broker in
 * this JVM), beside the ceiling: a bare Netty HTTP server of the same setup answering 200 at once,
 * measured in the same run on the same machine by the same load generator (closed loop: N
 * keep-alive connections, each sending its next genuine notification when the last was answered).
 * Not a test: {@code deploy/gateway/bench [connections=32] [seconds=15] [rounds=2]} (README "Benchmarks").
 */
public final class GatewayBenchmark {
    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        List<byte[]> requests = requests(3000);
        System.out.printf(
                "gateway benchmark: %d connections, %d rounds of %d s each (after a 5 s warm-up of each), %d cores,"
                        + " %d distinct genuine notifications%n",
                connections, rounds, seconds, Runtime.getRuntime().availableProcessors(), requests.size());
        EventLoopGroup bareBoss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup bareWorkers =
                new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), NioIoHandler.newFactory());
        try (KafkaServer kafka = KafkaServer.start()) {
            kafka.createTopics(Map.of("bench.callbacks", 4));
            Channel bare = bareServer(bareBoss, bareWorkers);
            int barePort = ((java.net.InetSocketAddress) bare.localAddress()).getPort();
            try (CallbackGateway g = CallbackGateway.start(GatewaySettings.builder()
                    .set("kafka.bootstrap-servers", kafka.bootstrapServers())
                    .set("kafka.topic.callbacks", "bench.callbacks")
                    .set("gateway.host", "127.0.0.1")
                    .set("gateway.port", "0")
                    .set("gateway.trusted-proxies", "127.0.0.1/32")
                    .set("gateway.max-in-flight", String.valueOf(connections * 2))
                    .set("kafka.linger", System.getProperty("bench.linger", "1 ms"))
                    .build())) {
                load(barePort, requests, connections, 5);
                load(g.port(), requests, connections, 5);
                // Alternated, so that whatever else the machine does weighs on both alike.
                for (int r = 1; r <= rounds; r++) {
                    Result ceiling = load(barePort, requests, connections, seconds);
                    System.out.println("round " + r + " ceiling (bare Netty, 200 at once): " + ceiling);
                    long before = g.metrics().publishedTotal();
                    Result through = load(g.port(), requests, connections, seconds);
                    System.out.println("round " + r + " gateway (acks=all, idempotent):    " + through);
                    System.out.printf(
                            "round %d gateway: %.1f %% of the ceiling; published in the window %d, non-200 answers %d%n",
                            r,
                            100.0 * through.rate() / ceiling.rate(),
                            g.metrics().publishedTotal() - before,
                            through.failures);
                }
                System.out.printf(
                        "gateway's own histogram since start: p50 %.2f ms, p99 %.2f ms; %d published, %d failed%n",
                        g.metrics().latencyQuantile(0.5) * 1000,
                        g.metrics().latencyQuantile(0.99) * 1000,
                        g.metrics().publishedTotal(),
                        g.metrics().failedTotal());
            }
            bare.close().sync();
        } finally {
            bareWorkers
                    .shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS)
                    .sync();
            bareBoss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS)
                    .sync();
        }
        System.exit(0);
    }

    record Result(long answered, long failures, double seconds, long[] latenciesNanos) {
        double rate() {
            return answered / seconds;
        }

        double quantileMs(double q) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            return latenciesNanos[Math.min(latenciesNanos.length - 1, (int) Math.ceil(q * latenciesNanos.length) - 1)]
                    / 1e6;
        }

        @Override
        public String toString() {
            return String.format(
                    "%.0f notifications/s (%d in %.1f s), p50 %.2f ms, p99 %.2f ms, max %.1f ms",
                    rate(), answered, seconds, quantileMs(0.5), quantileMs(0.99), quantileMs(1.0));
        }
    }

    /** Genuine notifications of all three channels as raw HTTP/1.1 requests from a trusted proxy. */
    private static List<byte[]> requests(int n) {
        SimulatedChannels ch = SimulatedChannels.generate();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PaymentFacts f = new PaymentFacts("P-B" + i, "T" + i, 100 + i, "SUCCESS", Instant.now());
            CallbackEnvelope e;
            String path;
            switch (i % 3) {
                case 0 -> {
                    e = ch.wechat()
                            .notification(
                                    f, Instant.now(), SimulatedChannels.genuineAddress("WECHAT", i), Forgery.NONE);
                    path = "/notify/wechat/pay";
                }
                case 1 -> {
                    e = ch.alipay()
                            .notification(
                                    f, Instant.now(), SimulatedChannels.genuineAddress("ALIPAY", i), Forgery.NONE);
                    path = "/notify/alipay";
                }
                default -> {
                    e = ch.unionpay()
                            .notification(
                                    f,
                                    Instant.now(),
                                    SimulatedChannels.genuineAddress("UNIONPAY", i),
                                    Forgery.NONE,
                                    true);
                    path = "/notify/unionpay";
                }
            }
            byte[] body = e.body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: gateway\r\n");
            e.headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("X-Forwarded-For: ").append(e.sourceAddress).append("\r\n");
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
            byte[] all = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            out.add(all);
        }
        return out;
    }

    /** The ceiling: the same Netty setup, aggregating the request and answering 200 "success" at once. */
    private static Channel bareServer(EventLoopGroup boss, EventLoopGroup workers) throws InterruptedException {
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(64 * 1024))
                                .addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        FullHttpResponse r = new DefaultFullHttpResponse(
                                                HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.OK,
                                                Unpooled.wrappedBuffer("success".getBytes(StandardCharsets.US_ASCII)));
                                        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 7);
                                        ctx.writeAndFlush(r);
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
    }

    /** Closed-loop load: each connection sends the next request when the last is answered. */
    private static Result load(int port, List<byte[]> requests, int connections, int seconds) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicBoolean measuring = new AtomicBoolean(true);
        AtomicLong next = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<long[]> perConnection = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        try {
            for (int c = 0; c < connections; c++) {
                long[] lat = new long[4_000_000 / connections + 1];
                int[] count = new int[1];
                perConnection.add(lat);
                counts.add(count);
                long[] sentAt = new long[1];
                Channel ch = new Bootstrap()
                        .group(group)
                        .channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline()
                                        .addLast(new HttpResponseDecoder())
                                        .addLast(new HttpObjectAggregator(64 * 1024))
                                        .addLast(new SimpleChannelInboundHandler<FullHttpResponse>() {
                                            @Override
                                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                                long now = System.nanoTime();
                                                if (!measuring.get()) {
                                                    return;
                                                }
                                                if (r.status().code() != 200) {
                                                    failures.incrementAndGet();
                                                }
                                                if (count[0] < lat.length) {
                                                    lat[count[0]++] = now - sentAt[0];
                                                }
                                                send(ctx.channel(), requests, next, sentAt);
                                            }
                                        });
                            }
                        })
                        .connect("127.0.0.1", port)
                        .sync()
                        .channel();
                channels.add(ch);
                ch.eventLoop().execute(() -> send(ch, requests, next, sentAt));
            }
            long start = System.nanoTime();
            Thread.sleep(Duration.ofSeconds(seconds).toMillis()); // the measuring window itself
            measuring.set(false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            for (Channel ch : channels) {
                ch.close().sync();
            }
            int total = counts.stream().mapToInt(x -> x[0]).sum();
            long[] all = new long[total];
            int at = 0;
            for (int c = 0; c < connections; c++) {
                System.arraycopy(perConnection.get(c), 0, all, at, counts.get(c)[0]);
                at += counts.get(c)[0];
            }
            Arrays.sort(all);
            return new Result(total, failures.get(), elapsed, all);
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS)
                    .sync();
        }
    }

    private static void send(Channel ch, List<byte[]> requests, AtomicLong next, long[] sentAt) {
        byte[] r = requests.get((int) (next.getAndIncrement() % requests.size()));
        ByteBuf b = Unpooled.wrappedBuffer(r);
        sentAt[0] = System.nanoTime();
        ch.writeAndFlush(b);
    }
}
