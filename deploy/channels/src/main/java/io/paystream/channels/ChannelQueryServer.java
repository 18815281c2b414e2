package io.paystream.channels;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A local HTTP server (JDK {@code com.sun.net.httpserver}) that plays one channel's order-query API
 * in its published request and response formats: it verifies the merchant's request signature,
 * answers from a pluggable truth ({@code paymentId -> PaymentFacts}, null: the channel does not
 * know the order) and signs its answer with the channel's key. Faults are chosen per request by
 * {@link #faults}; an optional {@link #rateLimit} answers the channel's rate-limit error above a
 * rate, as the channel would. Every request's arrival time is recorded, so a test can measure the
 * rate the channel saw. For the tests and the sandbox; never part of a deployment.
 */
public abstract class ChannelQueryServer implements AutoCloseable {
    /**
     * A verified query for {@code paymentId} (a refund's id when {@code refund}); null when the
     * request's signature failed.
     */
    protected record Query(String paymentId, String rejection, boolean refund) {
        protected Query(String paymentId, String rejection) {
            this(paymentId, rejection, false);
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService holder;
    private final Queue<HttpExchange> held = new ConcurrentLinkedQueue<>();
    private volatile Function<String, PaymentFacts> truth = id -> null;
    private volatile Function<String, RefundFacts> refundTruth = id -> null;
    private volatile BiFunction<String, Integer, QueryFault> faults = (id, n) -> QueryFault.NONE;
    private final Map<String, AtomicInteger> queriesByPayment = new ConcurrentHashMap<>();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final AtomicLong rejectedSignatures = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final Object bucketLock = new Object();
    private volatile double ratePerSecond; // 0: unlimited
    private double tokens;
    private double burst = 1;
    private long refilledAtNanos = System.nanoTime();
    /** Signs BAD_SIGNATURE answers: a key that is not the channel's. */
    protected final KeyPair foreignKey = Signatures.rsa2048(new SecureRandom());

    protected ChannelQueryServer(String... paths) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        handlers = Executors.newFixedThreadPool(8, r -> daemon(r, getClass().getSimpleName() + "-http"));
        holder = Executors.newSingleThreadScheduledExecutor(
                r -> daemon(r, getClass().getSimpleName() + "-hold"));
        server.setExecutor(handlers);
        for (String path : paths) {
            server.createContext(path, this::serve);
        }
        server.start();
    }

    /** The base address, {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort();
    }

    /** What the channel knows of a payment id; returning null answers "no such order". */
    public ChannelQueryServer truth(Function<String, PaymentFacts> truth) {
        this.truth = truth;
        return this;
    }

    /** What the channel knows of a refund id (its refund query API); returning null answers "no such refund". */
    public ChannelQueryServer refundTruth(Function<String, RefundFacts> refundTruth) {
        this.refundTruth = refundTruth;
        return this;
    }

    /** Whether the channel knows a refund of this id (UnionPay: a refund is a transaction of its own). */
    protected boolean knowsRefund(String id) {
        return refundTruth.apply(id) != null;
    }

    /** The fault of each request: {@code (paymentId, nth query of that payment, 1-based) -> fault}. */
    public ChannelQueryServer faults(BiFunction<String, Integer, QueryFault> faults) {
        this.faults = faults;
        return this;
    }

    /**
     * Answers the channel's rate-limit error beyond {@code perSecond} queries a second, measured as a
     * token bucket holding a tenth of a second's worth (at least 1); 0: off.
     */
    public ChannelQueryServer rateLimit(double perSecond) {
        synchronized (bucketLock) {
            this.ratePerSecond = perSecond;
            this.burst = Math.max(1, perSecond / 10);
            this.tokens = burst;
            this.refilledAtNanos = System.nanoTime();
        }
        return this;
    }

    /** How many queries reached this server for {@code paymentId} (signature-checked or not). */
    public int queriesOf(String paymentId) {
        AtomicInteger n = queriesByPayment.get(paymentId);
        return n == null ? 0 : n.get();
    }

    /** Arrival times (System.nanoTime) of every query, in order of arrival. */
    public List<Long> arrivalNanos() {
        return List.copyOf(arrivals);
    }

    public long rejectedSignatures() {
        return rejectedSignatures.get();
    }

    public long rateLimitedAnswers() {
        return rateLimited.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        arrivals.add(now);
        byte[] body = exchange.getRequestBody().readAllBytes();
        Query q;
        try {
            q = readQuery(exchange, new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            rejectedSignatures.incrementAndGet();
            respond(exchange, badRequest("unreadable request: " + e.getMessage()));
            return;
        }
        if (q.rejection() != null) {
            rejectedSignatures.incrementAndGet();
            respond(exchange, badRequest(q.rejection()));
            return;
        }
        int nth = queriesByPayment
                .computeIfAbsent(q.paymentId(), k -> new AtomicInteger())
                .incrementAndGet();
        QueryFault fault = faults.apply(q.paymentId(), nth);
        if (fault == QueryFault.NONE && !takeToken(now)) {
            fault = QueryFault.RATE_LIMITED;
        }
        if (fault == QueryFault.RATE_LIMITED) {
            rateLimited.incrementAndGet();
        }
        if (fault == QueryFault.TIMEOUT) {
            held.add(exchange);
            holder.schedule(() -> release(exchange), 120, TimeUnit.SECONDS);
            return;
        }
        respond(
                exchange,
                q.refund()
                        ? refundAnswer(q.paymentId(), refundTruth.apply(q.paymentId()), fault)
                        : answer(q.paymentId(), truth.apply(q.paymentId()), fault));
    }

    private boolean takeToken(long now) {
        synchronized (bucketLock) {
            if (ratePerSecond <= 0) {
                return true;
            }
            tokens = Math.min(burst, tokens + (now - refilledAtNanos) / 1e9 * ratePerSecond);
            refilledAtNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    private void release(HttpExchange exchange) {
        if (held.remove(exchange)) {
            exchange.close();
        }
    }

    /** An HTTP answer: status, headers and body. */
    protected record Answer(int status, Map<String, String> headers, String body) {}

    /** Reads and verifies the merchant's query; throws on a request that is not the channel's format. */
    protected abstract Query readQuery(HttpExchange exchange, String body);

    /** The channel's answer about {@code facts} (null: order unknown) under {@code fault} (never TIMEOUT). */
    protected abstract Answer answer(String paymentId, PaymentFacts facts, QueryFault fault);

    /**
     * The channel's refund query answer about {@code facts} (null: refund unknown) under {@code fault}
     * (never TIMEOUT); {@code facts.status()} in WeChat Pay's words, or PROCESSING.
     */
    protected abstract Answer refundAnswer(String refundId, RefundFacts facts, QueryFault fault);

    /** The channel's answer to a request whose signature or format it refuses. */
    protected abstract Answer badRequest(String why);

    private static void respond(HttpExchange exchange, Answer a) throws IOException {
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        server.stop(0);
        HttpExchange e;
        while ((e = held.poll()) != null) {
            e.close();
        }
        holder.shutdownNow();
        handlers.shutdownNow();
    }
}
