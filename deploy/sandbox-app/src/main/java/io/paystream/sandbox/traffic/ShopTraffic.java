package io.paystream.sandbox.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.GatewayClient;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.RefundFacts;
import io.paystream.channels.SimulatedChannels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The simulated shop around paystream: shoppers placing orders (some twice, some over the limit,
 * some never paying), the payment center and the business application writing MySQL, and the three
 * channels notifying through {@code payment.callbacks} with realistic faults. It also closes the
 * loop: it answers {@code payment.requery}, applies {@code payment.results} as the payment center
 * would, and applies {@code order.commands} as the order system would. The shop refunds a few paid
 * payments (refund rows; the channels notify their outcomes, some notifications lost) and applies
 * {@code refund.results} to its refund rows.
 */
public final class ShopTraffic implements AutoCloseable {
    /** What the channel knows of a payment: the truth its queries answer with. */
    private static final class Truth {
        final String paymentId;
        final long orderId;
        final String channel;
        final long amountCents;
        volatile String outcome = "NOTPAY";
        volatile String txnId;
        volatile Instant paidAt;
        /** The channel failed this payment at least once (a retry may have paid it since). */
        volatile boolean everFailed;
        /** The bills' book already has this payment as never charged (failed for good). */
        volatile boolean bookedUnpaid;
        /** What the channel has refunded of the payment so far (Alipay's refund_fee). */
        private long refundedCents;
        /**
         * What happened to the payment, in order, with the time of day: printed beside a soak
         * violation, so that a failed run says which step went wrong without a rerun.
         */
        private final java.util.Queue<String> history = new java.util.concurrent.ConcurrentLinkedQueue<>();

        Truth(String paymentId, long orderId, String channel, long amountCents) {
            this.paymentId = paymentId;
            this.orderId = orderId;
            this.channel = channel;
            this.amountCents = amountCents;
        }

        PaymentFacts facts() {
            return new PaymentFacts(paymentId, txnId, amountCents, outcome, paidAt);
        }

        /**
         * The channel settles the trade, unless the payment center closed it first: a closed
         * trade takes no payment (WeChat Pay's close order, Alipay's trade.close).
         */
        synchronized boolean settle(String settled) {
            if ("CLOSED".equals(outcome)) {
                return false;
            }
            outcome = settled;
            return true;
        }

        /** The user tries a failed payment again, unless the trade was closed meanwhile. */
        synchronized boolean reopen() {
            if ("CLOSED".equals(outcome)) {
                return false;
            }
            outcome = "NOTPAY";
            return true;
        }

        /** The retry never began: the channel still knows the payment as failed. */
        synchronized void retryRefused() {
            if ("NOTPAY".equals(outcome)) {
                outcome = "FAILED";
            }
        }

        /** The payment center closes the trade at the channel; one already paid cannot be closed. */
        synchronized boolean close() {
            if ("SUCCESS".equals(outcome)) {
                return false;
            }
            outcome = "CLOSED";
            return true;
        }

        /** The channel refunds {@code cents} more; all refunded so far, this refund included. */
        synchronized long refund(long cents) {
            refundedCents += cents;
            return refundedCents;
        }

        synchronized long refunded() {
            return refundedCents;
        }

        void note(String what) {
            history.add(java.time.LocalTime.now().withNano(0) + " " + what);
        }

        ChannelTruth snapshot() {
            return new ChannelTruth(
                    paymentId, orderId, channel, amountCents, outcome, everFailed, List.copyOf(history));
        }
    }

    private static final String[] CHANNELS = {"WECHAT", "ALIPAY", "UNIONPAY"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrafficConfig config;
    private final TrafficStats stats;
    private final ShopDatabase db;
    private final SimulatedChannels channels;
    private final Map<String, String> topics;
    private final String bootstrap;
    private final KafkaProducer<String, String> producer;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Truth> truths = new ConcurrentHashMap<>();
    /** The channels' refunds by refund id, once decided: what their refund query APIs answer. */
    private final Map<String, RefundFacts> refundFacts = new ConcurrentHashMap<>();

    private final PaymentAttempts attempts = new PaymentAttempts();
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 100);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Random random;
    private Catalogue catalogue;
    private Thread consumerThread;
    private java.util.concurrent.ScheduledFuture<?> shoppers;
    /** The payment center's query worker answers re-queries (deploy/query-worker); else the shop does. */
    private volatile boolean queriesByWorker;
    /** The callback gateway the channels notify over HTTP; null: straight to Kafka (no gateway). */
    private volatile GatewayClient gateway;
    /** The front end's Redis checks; null: every order goes straight to the database. */
    private FrontEndChecks checks;
    /** Where the channels note what they decide for their daily bills; null: no bills. */
    private volatile io.paystream.sandbox.bills.ChannelBook book;

    /**
     * @param topics topic names by role: callbacks, query-results, requery, results, order-commands,
     *     refund-results
     */
    public ShopTraffic(
            TrafficConfig config,
            TrafficStats stats,
            String jdbcUrl,
            String user,
            String password,
            String bootstrap,
            Map<String, String> topics,
            SimulatedChannels channels) {
        this.config = config;
        this.stats = stats;
        this.db = new ShopDatabase(jdbcUrl, user, password);
        this.channels = channels;
        this.topics = topics;
        this.bootstrap = bootstrap;
        this.random = new Random(config.seed);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.scheduler = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "shop-traffic");
            t.setDaemon(true);
            return t;
        });
    }

    /** Seeds the catalogue (also with --no-traffic, so the jobs have SKUs to count). */
    public void seedCatalogue() throws SQLException {
        catalogue = Catalogue.seed(db.connection(), config.skus, random);
    }

    /**
     * Makes the shop's front end check what the stock ledger publishes ({@code stock:{sku}},
     * {@code order:submit:{hash}} under {@code keyPrefix}) before it creates an order; call before
     * {@link #start()}. Without it every order reaches the database unchecked.
     */
    public void checkAtFrontEnd(String redisUri, String keyPrefix) {
        checks = new FrontEndChecks(redisUri, keyPrefix, config.stockLagMargin);
    }

    public void start() {
        long periodMicros = Math.max(1000, (long) (1_000_000 / config.rate));
        shoppers = scheduler.scheduleAtFixedRate(guard(this::placeOrder), 500_000, periodMicros, TimeUnit.MICROSECONDS);
        consumerThread = new Thread(this::consumeCommands, "shop-command-consumer");
        consumerThread.setDaemon(true);
        consumerThread.start();
    }

    /**
     * No new orders from now on; payments under way, the channels (answers, resends) and the shop's
     * handling of results and commands go on, so that everything started can end.
     */
    public void stopShoppers() {
        if (shoppers != null) {
            shoppers.cancel(false);
        }
    }

    /**
     * From now on the channels notify over HTTP through the callback gateway at {@code base} (its
     * success answer only once Kafka has the notification), resending what it does not acknowledge.
     */
    public void deliverThroughGateway(java.net.URI base) {
        this.gateway = new GatewayClient(base, Duration.ofSeconds(5)); // WeChat Pay's patience
    }

    /**
     * From now on the query worker answers {@code payment.requery} by asking the channels' query
     * APIs (which answer from {@link #channelFacts}); the shop only forges the odd answer, as an
     * attacker with access to the topic would.
     */
    public void leaveQueriesToWorker() {
        this.queriesByWorker = true;
    }

    /** What the channel knows of a payment, as its query API answers; null: no such payment. */
    public PaymentFacts channelFacts(String paymentId) {
        Truth t = truths.get(paymentId);
        return t == null ? null : t.facts();
    }

    /**
     * From now on the channels note every payment they charge, refund they decide and payment they
     * close unpaid in {@code book}, for their daily bills. Call before {@link #start()}.
     */
    public void keepBillsIn(io.paystream.sandbox.bills.ChannelBook book) {
        this.book = book;
    }

    /** The shop's payments row status of a payment (null: no row), as the payment center reads it. */
    public String shopPaymentStatus(String paymentId) throws SQLException {
        try {
            return paymentStatus(paymentId);
        } catch (SQLException e) {
            db.discard();
            throw e;
        }
    }

    /** What the channel knows of a refund, as its refund query API answers; null: no such refund. */
    public RefundFacts channelRefundFacts(String refundId) {
        return refundFacts.get(refundId);
    }

    /** What the channels know of every payment started so far: the ground truth of a run. */
    public List<ChannelTruth> channelTruths() {
        return truths.values().stream().map(Truth::snapshot).toList();
    }

    // --- shoppers ------------------------------------------------------------------------------

    private void placeOrder() throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long orderId = ids.incrementAndGet();
        long userId = 1 + r.nextInt(config.users);
        boolean overLimit = r.nextDouble() < config.overLimit;
        List<long[]> items = new ArrayList<>(); // sku, quantity, unit price
        int lines = 1 + r.nextInt(3);
        for (int i = 0; i < lines; i++) {
            Catalogue.Sku sku = catalogue.skus.get(r.nextInt(catalogue.skus.size()));
            int qty = 1 + r.nextInt(2);
            if (overLimit && i == 0) {
                // A shopper trying to take more than the per-user limit of a limited SKU.
                sku = catalogue.skus.stream()
                        .filter(s -> s.perUserLimit != null)
                        .findAny()
                        .orElse(sku);
                qty = (sku.perUserLimit == null ? 5 : sku.perUserLimit) + 1 + r.nextInt(3);
            }
            items.add(new long[] {sku.skuId, qty, sku.priceCents});
        }
        long total = items.stream().mapToLong(it -> it[1] * it[2]).sum();
        String address = "Road " + (userId % 97) + ", Hangzhou";
        String hash = submitHash(userId, items, total, address);
        String ip = "10." + (userId % 200) + "." + r.nextInt(256) + "." + (1 + r.nextInt(250));
        // A shopper who skips the front end skips it for a repeat too.
        boolean bypass = checks != null && r.nextDouble() < config.bypassChecks;
        if (!submit(orderId, userId, total, hash, ip, items, bypass)) {
            return; // refused by the front end: nothing to pay
        }
        if (overLimit) {
            stats.limitAbuse.incrementAndGet();
        }
        if (r.nextDouble() < config.duplicateSubmission) {
            // The same content submitted again: a double click moments later, or a resubmission
            // seconds later (by then the ledger has published the first one's submission key).
            long dupId = ids.incrementAndGet();
            scheduler.schedule(
                    guard(() -> {
                        stats.duplicateSubmissions.incrementAndGet();
                        submit(dupId, userId, total, hash, ip, items, bypass);
                    }),
                    r.nextBoolean() ? 200 + r.nextInt(1500) : 5000 + r.nextInt(15000),
                    TimeUnit.MILLISECONDS);
        }
        if (r.nextDouble() < config.neverPay) {
            stats.unpaidOrders.incrementAndGet();
            return;
        }
        String channel = CHANNELS[r.nextInt(CHANNELS.length)];
        String paymentId = "P" + orderId;
        scheduler.schedule(
                guard(() -> startPayment(paymentId, orderId, channel, total)),
                200 + r.nextInt(1300),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Creates the order unless the front end refuses it (counted by reason); true when created.
     * With checks, check and insert run under the front end's lock, so two shoppers cannot both
     * take the last units between its check and its insert.
     */
    private boolean submit(
            long orderId, long userId, long total, String hash, String ip, List<long[]> items, boolean bypass)
            throws SQLException {
        if (checks == null || bypass) {
            if (bypass) {
                stats.bypassedChecks.incrementAndGet();
            }
            insertOrder(orderId, userId, total, hash, ip, items);
            stats.orders.incrementAndGet();
            return true;
        }
        Map<Long, Long> deductOnOrder = new LinkedHashMap<>();
        for (long[] it : items) {
            if (catalogue.byId(it[0]).deductOnOrder) {
                deductOnOrder.merge(it[0], it[1], Long::sum);
            }
        }
        synchronized (checks.placementLock) {
            if (checks.checkSubmission(hash) == FrontEndChecks.Verdict.DUPLICATE) {
                stats.refusedDuplicate.incrementAndGet();
                return false;
            }
            FrontEndChecks.Verdict stock = checks.checkStock(deductOnOrder);
            if (stock == FrontEndChecks.Verdict.OUT_OF_STOCK) {
                stats.refusedOutOfStock.incrementAndGet();
                return false;
            }
            if (stock == FrontEndChecks.Verdict.STOCK_UNKNOWN) {
                stats.refusedStockUnknown.incrementAndGet();
                return false;
            }
            insertOrder(orderId, userId, total, hash, ip, items);
            checks.created(deductOnOrder, System.currentTimeMillis());
        }
        stats.orders.incrementAndGet();
        return true;
    }

    private void insertOrder(long orderId, long userId, long total, String hash, String ip, List<long[]> items)
            throws SQLException {
        Connection c = db.connection();
        c.setAutoCommit(false);
        try (PreparedStatement o = c.prepareStatement(
                        "INSERT INTO orders (order_id, user_id, status, total_amount, submit_hash, client_ip) VALUES (?, ?, 'CREATED', ?, ?, ?)");
                PreparedStatement i = c.prepareStatement(
                        "INSERT INTO order_items (item_id, order_id, sku_id, quantity, unit_price) VALUES (?, ?, ?, ?, ?)")) {
            o.setLong(1, orderId);
            o.setLong(2, userId);
            o.setBigDecimal(3, java.math.BigDecimal.valueOf(total, 2));
            o.setString(4, hash);
            o.setString(5, ip);
            o.executeUpdate();
            int n = 0;
            for (long[] it : items) {
                i.setLong(1, orderId * 10 + n++);
                i.setLong(2, orderId);
                i.setLong(3, it[0]);
                i.setInt(4, (int) it[1]);
                i.setBigDecimal(5, java.math.BigDecimal.valueOf(it[2], 2));
                i.addBatch();
            }
            i.executeBatch();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    static String submitHash(long userId, List<long[]> items, long total, String address) throws Exception {
        StringBuilder b = new StringBuilder().append(userId).append('|');
        for (long[] it : items) {
            b.append(it[0]).append('x').append(it[1]).append(',');
        }
        b.append('|').append(total).append('|').append(address);
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    }

    // --- payment center and channels ----------------------------------------------------------------

    private void startPayment(String paymentId, long orderId, String channel, long amount) throws Exception {
        update(
                "INSERT INTO payments (payment_id, order_id, channel, amount, status) VALUES (?, ?, ?, ?, 'CREATED')",
                paymentId,
                orderId,
                channel,
                java.math.BigDecimal.valueOf(amount, 2));
        update("UPDATE payments SET status = 'PAYING' WHERE payment_id = ?", paymentId);
        stats.payments.incrementAndGet();
        Truth truth = new Truth(paymentId, orderId, channel, amount);
        truth.note("row PAYING");
        truths.put(paymentId, truth);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        scheduler.schedule(
                guard(truth, () -> channelDecides(truth, false)), 500 + r.nextInt(2500), TimeUnit.MILLISECONDS);
        scheduler.schedule(
                guard(truth, () -> closeIfStillPaying(truth)),
                config.closeUnpaidAfter.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void channelDecides(Truth t, boolean retried) throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        double roll = r.nextDouble();
        if (!retried && roll < config.abandons) {
            stats.abandoned.incrementAndGet(); // the user walked away: the channel knows nothing more
            t.note("user walked away");
            return;
        }
        if (!retried && roll < config.abandons + config.paymentFails) {
            if (!t.settle("FAILED")) {
                t.note("channel: closed before it could fail");
                return; // closed by the payment center meanwhile
            }
            t.note("channel: FAILED");
            t.everFailed = true;
            t.txnId = txnId(t);
            stats.failed.incrementAndGet();
            if (!"WECHAT".equals(t.channel)) {
                notifyChannel(t); // WeChat notifies successes only; the others notify failures too
            }
            if (r.nextDouble() < config.retryAfterFailure) {
                // The user tries again: the same payment goes PAYING once more.
                scheduler.schedule(
                        guard(t, () -> {
                            if (!t.reopen()) {
                                t.note("retry: closed meanwhile");
                                return; // closed by the payment center meanwhile
                            }
                            Instant previous = attempts.beginRetry(t.paymentId, Instant.now());
                            if (update(
                                            "UPDATE payments SET status = 'PAYING' WHERE payment_id = ? AND status = 'FAILED'",
                                            t.paymentId)
                                    != 1) {
                                // The payment center never learned of the failure (it missed the
                                // notification): the shop shows no failed payment to try again.
                                t.retryRefused();
                                attempts.retryRefused(t.paymentId, previous);
                                t.note("retry: refused, the row is not FAILED");
                                return;
                            }
                            t.note("retry: row PAYING again");
                            scheduler.schedule(
                                    guard(t, () -> channelDecides(t, true)),
                                    500 + r.nextInt(2000),
                                    TimeUnit.MILLISECONDS);
                        }),
                        1000 + r.nextInt(3000),
                        TimeUnit.MILLISECONDS);
            } else {
                // No retry follows: the channel never charges this payment, so a bill may claim it
                // did (an injected STATUS_MISMATCH) seconds from now, not only once it is closed.
                io.paystream.sandbox.bills.ChannelBook bills = book;
                if (bills != null) {
                    t.bookedUnpaid = true;
                    bills.failedForGood(t.channel, t.paymentId, t.txnId, t.amountCents, Instant.now());
                }
            }
            return;
        }
        if (!t.settle("SUCCESS")) {
            t.note("channel: closed before it could be paid");
            return; // closed by the payment center meanwhile: the user cannot pay it any more
        }
        t.note("channel: SUCCESS");
        t.txnId = txnId(t);
        t.paidAt = Instant.now();
        io.paystream.sandbox.bills.ChannelBook bills = book;
        if (bills != null) {
            bills.paid(t.channel, t.paymentId, t.txnId, t.amountCents, t.paidAt);
        }
        stats.paid.incrementAndGet();
        notifyChannel(t);
        if (r.nextDouble() < config.refunds) {
            // The shopper asks for money back a little later (once the payment center shows it paid).
            scheduler.schedule(guard(t, () -> startRefunds(t, 0)), 5000 + r.nextInt(15000), TimeUnit.MILLISECONDS);
        }
    }

    private void notifyChannel(Truth t) throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        if (r.nextDouble() < config.forgedCallback) {
            sendForgery(t);
        }
        if (r.nextDouble() < config.callbackLost) {
            stats.lostCallbacks.incrementAndGet(); // never reaches the shop: only a query will find it
            t.note("notification lost on its way");
            return;
        }
        PaymentFacts facts = t.facts();
        boolean mismatch = "SUCCESS".equals(t.outcome) && r.nextDouble() < config.amountMismatch;
        if (mismatch) {
            facts = facts.withAmount(t.amountCents + 1 + r.nextInt(100));
            stats.mismatched.incrementAndGet();
        }
        java.util.concurrent.CompletableFuture<Boolean> delivered = sendCallback(
                t,
                "notification " + facts.outcome() + (mismatch ? " (wrong amount)" : ""),
                envelope(t.channel, facts, SimulatedChannels.genuineAddress(t.channel, r.nextInt()), Forgery.NONE));
        stats.callbacks.incrementAndGet();
        if (!mismatch) {
            paymentCenterReceives(t);
        }
        // Some acknowledgements never reach the channel (the shop answered, the answer was lost):
        // it resends on its whole schedule. Otherwise it resends only what was not acknowledged.
        boolean acknowledgementLost = r.nextDouble() < config.resends;
        PaymentFacts sent = facts;
        IntFunction<CallbackEnvelope> resend =
                i -> envelope(t.channel, sent, SimulatedChannels.genuineAddress(t.channel, i), Forgery.NONE);
        delivered.thenAccept(ok -> {
            if (!ok || acknowledgementLost) {
                scheduleResends(t, "resend", resend, false, 0, !acknowledgementLost);
            }
        });
    }

    /**
     * The channel resends on its schedule: until acknowledged, or (an acknowledgement lost on its
     * way) to the schedule's end.
     */
    private void scheduleResends(
            Truth t,
            String what,
            IntFunction<CallbackEnvelope> envelopes,
            boolean refund,
            int index,
            boolean untilAcknowledged) {
        if (index >= TrafficConfig.WECHAT_RESEND_GAPS_SECONDS.length || !running.get()) {
            return;
        }
        long gap = TrafficConfig.WECHAT_RESEND_GAPS_SECONDS[index];
        long delayMs = Math.max(1, (long) (gap * 1000 / config.speed));
        scheduler.schedule(
                guard(t, () -> {
                    stats.resends.incrementAndGet();
                    sendCallback(t, what + " " + (index + 1), envelopes.apply(index), refund)
                            .thenAccept(ok -> {
                                if (!(ok && untilAcknowledged)) {
                                    scheduleResends(t, what, envelopes, refund, index + 1, untilAcknowledged);
                                }
                            });
                }),
                delayMs,
                TimeUnit.MILLISECONDS);
    }

    private void sendForgery(Truth t) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        PaymentFacts facts = new PaymentFacts(
                t.paymentId, "forged-" + r.nextInt(1_000_000), t.amountCents, "SUCCESS", Instant.now());
        Forgery[] kinds = {
            Forgery.BAD_SIGNATURE, Forgery.UNKNOWN_KEY, Forgery.TAMPERED_BODY, Forgery.STALE, Forgery.NONE
        };
        Forgery kind = kinds[r.nextInt(kinds.length)];
        if ("UNIONPAY".equals(t.channel) && kind == Forgery.STALE) {
            kind = Forgery.BAD_SIGNATURE; // UnionPay notifications carry no send time to be stale by
        }
        // NONE here means a genuine-looking notification from an address outside the allowlist.
        String address = kind == Forgery.NONE
                ? SimulatedChannels.FORGER_ADDRESS_PREFIX + (1 + r.nextInt(250))
                : SimulatedChannels.genuineAddress(t.channel, r.nextInt());
        sendCallback(t, "forgery " + kind, envelope(t.channel, facts, address, kind));
        stats.forged.incrementAndGet();
    }

    private CallbackEnvelope envelope(String channel, PaymentFacts facts, String address, Forgery forgery) {
        Instant now = Instant.now();
        switch (channel) {
            case "WECHAT":
                return channels.wechat().notification(facts, now, address, forgery);
            case "ALIPAY":
                return channels.alipay().notification(facts, now, address, forgery);
            default:
                return channels.unionpay().notification(facts, now, address, forgery);
        }
    }

    /**
     * Delivers a notification; completes with whether the shop acknowledged it. Straight to Kafka
     * (no gateway), Kafka's acknowledgement stands for the shop's: a record the producer gave up
     * on (a broker down longer than its delivery timeout) is resent like an unanswered one.
     */
    private java.util.concurrent.CompletableFuture<Boolean> sendCallback(Truth t, String what, CallbackEnvelope e) {
        return sendCallback(t, what, e, false);
    }

    /** @param refund a refund notification: posted to the channel's refund notify_url */
    private java.util.concurrent.CompletableFuture<Boolean> sendCallback(
            Truth t, String what, CallbackEnvelope e, boolean refund) {
        GatewayClient through = gateway;
        java.util.concurrent.CompletableFuture<Boolean> delivered;
        if (through == null) {
            java.util.concurrent.CompletableFuture<Boolean> acked = new java.util.concurrent.CompletableFuture<>();
            producer.send(
                    new ProducerRecord<>(topics.get("callbacks"), e.notifyId, e.toJson()), (metadata, failure) -> {
                        if (failure != null) {
                            t.note(what + " " + e.notifyId + ": Kafka refused it: " + failure);
                        }
                        acked.complete(failure == null);
                    });
            delivered = acked;
        } else {
            // The body and headers as signed, the channel's own address in X-Forwarded-For as the
            // shop's nginx in front of the gateway adds it; delivered only on the channel's success
            // answer (a refusal, a reset or a timeout: the channel resends).
            delivered = through.postAsync(
                            e, refund ? GatewayClient.refundPath(e.channel) : GatewayClient.path(e.channel))
                    .thenApply(answer -> {
                        boolean ok = GatewayClient.delivered(e.channel, answer);
                        if (!ok) {
                            t.note(what + " " + e.notifyId + ": gateway answered " + answer.status());
                        }
                        return ok;
                    })
                    .exceptionally(failure -> {
                        t.note(what + " " + e.notifyId + ": not delivered: " + failure);
                        stats.deliveryFailures.merge(rootCause(failure), 1L, Long::sum);
                        return false;
                    });
        }
        return delivered.thenApply(ok -> {
            if (ok) {
                t.note(what + " " + e.notifyId + " acknowledged");
            } else {
                stats.unacknowledgedCallbacks.incrementAndGet();
            }
            return ok;
        });
    }

    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName();
    }

    /** The payment center applies a genuine notification, unless it fails on it (external loss). */
    private void paymentCenterReceives(Truth t) throws Exception {
        if (ThreadLocalRandom.current().nextDouble() < config.paymentCenterMiss) {
            stats.paymentCenterMisses.incrementAndGet();
            t.note("payment center missed the notification");
            return;
        }
        String outcome = t.outcome;
        boolean applied = applyOutcome(t.paymentId, t.orderId, outcome, t.txnId, true);
        t.note("payment center " + (applied ? "set the row " : "could not set the row ") + outcome);
    }

    /**
     * Writes an outcome to the payment row if it is still open, then (for a success) tells the
     * business application, which sometimes fails to mark the order PAID (internal loss).
     */
    private boolean applyOutcome(
            String paymentId, long orderId, String outcome, String txnId, boolean mayLoseInternally) throws Exception {
        int changed = update(
                "UPDATE payments SET status = ?, channel_txn_id = ? WHERE payment_id = ? AND status IN ('CREATED', 'PAYING')",
                outcome,
                txnId,
                paymentId);
        if (changed == 1 && "SUCCESS".equals(outcome)) {
            if (mayLoseInternally && ThreadLocalRandom.current().nextDouble() < config.businessMiss) {
                stats.businessMisses.incrementAndGet();
            } else {
                update("UPDATE orders SET status = 'PAID' WHERE order_id = ? AND status = 'CREATED'", orderId);
            }
        }
        return changed == 1;
    }

    private void closeIfStillPaying(Truth t) throws Exception {
        // Closed at the channel first, as a payment center must: otherwise a user could still pay
        // a payment the shop no longer waits for, and nothing would ever ask the channel about it.
        if (t.close()) {
            int closed = update(
                    "UPDATE payments SET status = 'CLOSED' WHERE payment_id = ? AND status = 'PAYING'", t.paymentId);
            t.note("closed at the channel as unpaid" + (closed == 1 ? ", row CLOSED" : ", row not PAYING"));
            io.paystream.sandbox.bills.ChannelBook bills = book;
            if (bills != null && !t.bookedUnpaid) { // the bills check the row before they use it
                bills.closedUnpaid(t.channel, t.paymentId, t.txnId, t.amountCents, Instant.now());
            }
        }
    }

    // --- refunds ------------------------------------------------------------------------------

    /**
     * The shop refunds a paid payment once the payment center shows it paid (it looks again a few
     * times: the outcome may still be on its way, by a resend or a re-query).
     */
    private void startRefunds(Truth t, int look) throws Exception {
        String row = paymentStatus(t.paymentId);
        if (!"SUCCESS".equals(row)) {
            if (look < 3) {
                scheduler.schedule(guard(t, () -> startRefunds(t, look + 1)), 15, TimeUnit.SECONDS);
            } else {
                t.note("no refund: the row is " + row + ", not SUCCESS");
            }
            return;
        }
        RefundPlan plan = RefundPlan.draw(t.amountCents, ThreadLocalRandom.current());
        t.note("refunds planned (fen): " + plan.partsCents());
        startRefund(t, plan, 0);
    }

    /** The payment center creates one refund of the plan (CREATED then REFUNDING, or straight REFUNDING). */
    private void startRefund(Truth t, RefundPlan plan, int index) throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String refundId = "R" + t.orderId + "-" + (index + 1);
        long cents = plan.partsCents().get(index);
        boolean created = r.nextBoolean();
        update(
                "INSERT INTO refunds (refund_id, payment_id, order_id, channel, amount, status) VALUES (?, ?, ?, ?, ?, ?)",
                refundId,
                t.paymentId,
                t.orderId,
                t.channel,
                java.math.BigDecimal.valueOf(cents, 2),
                created ? "CREATED" : "REFUNDING");
        stats.refunds.incrementAndGet();
        t.note("refund " + refundId + " of " + cents + " fen: row " + (created ? "CREATED" : "REFUNDING"));
        Step askChannel = () -> {
            if (created) {
                update("UPDATE refunds SET status = 'REFUNDING' WHERE refund_id = ? AND status = 'CREATED'", refundId);
                t.note("refund " + refundId + ": row REFUNDING");
            }
            scheduler.schedule(
                    guard(t, () -> {
                        channelRefunds(t, refundId, cents);
                        if (index + 1 < plan.partsCents().size()) {
                            scheduler.schedule(
                                    guard(t, () -> startRefund(t, plan, index + 1)),
                                    2000 + ThreadLocalRandom.current().nextInt(6000),
                                    TimeUnit.MILLISECONDS);
                        }
                    }),
                    1000 + r.nextInt(3000),
                    TimeUnit.MILLISECONDS);
        };
        if (created) {
            scheduler.schedule(guard(t, askChannel), 200 + r.nextInt(800), TimeUnit.MILLISECONDS);
        } else {
            askChannel.run();
        }
    }

    /**
     * The channel decides the refund and notifies it like a payment (resent until acknowledged),
     * unless the notification is lost: then only a re-query finds it (the query worker asks the
     * channel's refund query API, which answers from {@link #channelRefundFacts}), or paystream
     * alerts LOST_REFUND.
     */
    private void channelRefunds(Truth t, String refundId, long cents) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String outcome = RefundPlan.channelOutcome(t.channel, r.nextDouble());
        boolean success = "SUCCESS".equals(outcome);
        long refundedTotal = success ? t.refund(cents) : t.refunded();
        Instant decidedAt = Instant.now();
        RefundFacts facts = new RefundFacts(
                refundId,
                t.paymentId,
                t.txnId,
                "RF" + refundId,
                cents,
                t.amountCents,
                refundedTotal,
                outcome,
                success ? decidedAt : null);
        t.note("channel: refund " + refundId + " " + outcome);
        io.paystream.sandbox.bills.ChannelBook bills = book;
        if (bills != null) {
            bills.refundDecided(t.channel, facts, decidedAt); // accepted and decided at once here
        }
        refundFacts.put(refundId, facts); // what its refund query API answers from now on
        if (r.nextDouble() < config.refundNotificationLost) {
            stats.lostRefundNotifications.incrementAndGet();
            t.note("refund " + refundId + " notification lost on its way");
            return;
        }
        IntFunction<CallbackEnvelope> envelopes =
                i -> refundEnvelope(facts, SimulatedChannels.genuineAddress(t.channel, i));
        String what = "refund " + refundId + " " + outcome;
        boolean acknowledgementLost = r.nextDouble() < config.resends;
        sendCallback(t, what, envelopes.apply(r.nextInt()), true).thenAccept(ok -> {
            if (!ok || acknowledgementLost) {
                scheduleResends(t, what + " resend", envelopes, true, 0, !acknowledgementLost);
            }
        });
    }

    private CallbackEnvelope refundEnvelope(RefundFacts facts, String address) {
        Truth t = truths.get(facts.paymentId());
        Instant now = Instant.now();
        switch (t.channel) {
            case "WECHAT":
                return channels.wechat().refundNotification(facts, now, address, Forgery.NONE);
            case "ALIPAY":
                return channels.alipay().refundNotification(facts, now, address, Forgery.NONE);
            default:
                return channels.unionpay().refundNotification(facts, now, address, Forgery.NONE);
        }
    }

    private String paymentStatus(String paymentId) throws SQLException {
        try (PreparedStatement s =
                db.connection().prepareStatement("SELECT status FROM payments WHERE payment_id = ?")) {
            s.setString(1, paymentId);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String txnId(Truth t) {
        switch (t.channel) {
            case "WECHAT":
                return "42000" + Math.abs(t.paymentId.hashCode()) + t.orderId % 100000;
            case "ALIPAY":
                return "2026" + t.orderId;
            default:
                return "UP" + t.orderId;
        }
    }

    // --- closing the loop: queries, results, commands -------------------------------------------------

    private void consumeCommands() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "sandbox-shop");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(
                    topics.get("requery"),
                    topics.get("results"),
                    topics.get("order-commands"),
                    topics.get("refund-results")));
            while (running.get()) {
                for (ConsumerRecord<String, String> rec : consumer.poll(Duration.ofMillis(200))) {
                    handleUntilApplied(rec);
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // closing
        }
    }

    /**
     * Applies one record, retrying while MySQL is unreachable (a restart): a payment center or an
     * order system that dropped a result or a command on a database error would lose it for good.
     */
    private void handleUntilApplied(ConsumerRecord<String, String> rec) {
        JsonNode msg;
        try {
            msg = JSON.readTree(rec.value());
        } catch (Exception e) {
            stats.errors.incrementAndGet();
            return;
        }
        while (running.get()) {
            try {
                if (rec.topic().equals(topics.get("requery"))) {
                    answerQuery(msg);
                } else if (rec.topic().equals(topics.get("results"))) {
                    applyResult(msg);
                } else if (rec.topic().equals(topics.get("refund-results"))) {
                    applyRefundResult(msg);
                } else {
                    applyOrderCommand(msg);
                }
                return;
            } catch (SQLException e) {
                stats.errors.incrementAndGet();
                db.discard();
                try {
                    TimeUnit.MILLISECONDS.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (Exception e) {
                stats.errors.incrementAndGet();
                return;
            }
        }
    }

    private void answerQuery(JsonNode cmd) {
        String paymentId = cmd.path("paymentId").asText();
        Truth t = truths.get(paymentId);
        PaymentFacts facts = t == null ? new PaymentFacts(paymentId, null, 0, "NOTPAY", null) : t.facts();
        String channel = t == null ? cmd.path("channel").asText() : t.channel;
        boolean forged = ThreadLocalRandom.current().nextDouble() < config.forgedQueryAnswer;
        if (t != null) {
            t.note("re-query " + cmd.path("commandId").asText()
                    + (forged ? ": a forged answer" : ": " + facts.outcome()));
        }
        if (queriesByWorker && !forged) {
            return; // the query worker asks the channel and answers
        }
        String answer =
                channels.queryAnswers().answer(cmd.path("commandId").asText(), channel, facts, Instant.now(), forged);
        scheduler.schedule(
                () -> {
                    producer.send(new ProducerRecord<>(topics.get("query-results"), paymentId, answer));
                    stats.queriesAnswered.incrementAndGet();
                },
                50 + ThreadLocalRandom.current().nextInt(250),
                TimeUnit.MILLISECONDS);
    }

    private void applyResult(JsonNode result) throws Exception {
        String status = result.path("status").asText();
        // When the channel's statement reached the shop, not when paystream verified it: with the
        // job behind, a first attempt's CLOSED is verified after the retry began (soak, seed 11).
        Instant receivedAt = result.path("receivedAt").asLong(0) > 0
                ? Instant.ofEpochMilli(result.get("receivedAt").asLong())
                : null;
        String paymentId = result.path("paymentId").asText();
        Truth t = truths.get(paymentId);
        if (!attempts.belongsToCurrentAttempt(paymentId, receivedAt)) {
            stats.staleResults.incrementAndGet(); // an earlier attempt's outcome: the retry stays open
            if (t != null) {
                t.note("result " + status + " of an earlier attempt skipped");
            }
            return;
        }
        boolean applied = applyOutcome(
                paymentId,
                result.path("orderId").asLong(),
                status,
                result.path("channelTxnId").asText(null),
                false);
        if (applied) {
            stats.resultsApplied.incrementAndGet();
        }
        if (t != null) {
            t.note("result " + status + (applied ? " applied" : " published, row already closed"));
        }
    }

    /** The payment center writes a refund's outcome (SUCCESS, FAILED, CLOSED) to its row, if still open. */
    private void applyRefundResult(JsonNode result) throws Exception {
        String refundId = result.path("refundId").asText();
        String status = result.path("status").asText();
        int changed = update(
                "UPDATE refunds SET status = ?, channel_refund_id = COALESCE(?, channel_refund_id)"
                        + " WHERE refund_id = ? AND status IN ('CREATED', 'REFUNDING')",
                status,
                result.path("channelRefundId").asText(null),
                refundId);
        if (changed == 1) {
            stats.refundsApplied.incrementAndGet();
        }
        Truth t = truths.get(result.path("paymentId").asText());
        if (t != null) {
            t.note("refund result " + refundId + " " + status
                    + (changed == 1 ? " applied" : " published, row already closed"));
        }
    }

    private void applyOrderCommand(JsonNode cmd) throws Exception {
        String type = cmd.path("type").asText();
        long orderId = cmd.path("orderId").asLong();
        int changed;
        if ("RENOTIFY_BUSINESS".equals(type)) {
            changed = update("UPDATE orders SET status = 'PAID' WHERE order_id = ? AND status = 'CREATED'", orderId);
        } else if (type.startsWith("CANCEL")) {
            changed =
                    update("UPDATE orders SET status = 'CANCELLED' WHERE order_id = ? AND status = 'CREATED'", orderId);
            Truth t = truths.get("P" + orderId);
            if (t == null || t.close()) { // a payment already made at the channel is not closed
                update(
                        "UPDATE payments SET status = 'CLOSED' WHERE order_id = ? AND status IN ('CREATED', 'PAYING')",
                        orderId);
                io.paystream.sandbox.bills.ChannelBook bills = book;
                if (t != null && bills != null && !t.bookedUnpaid) {
                    bills.closedUnpaid(t.channel, t.paymentId, t.txnId, t.amountCents, Instant.now());
                }
            }
            if (t != null) {
                t.note(type + " for its order (changed " + changed + ")");
            }
        } else {
            return;
        }
        if (changed == 1) {
            stats.commandsApplied.incrementAndGet();
        }
    }

    // --- plumbing -----------------------------------------------------------------------------

    private int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement s = db.connection().prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** A step of one payment: an error is also written into its history. */
    private Runnable guard(Truth t, Step step) {
        return guard(() -> {
            try {
                step.run();
            } catch (Exception e) {
                t.note("step failed: " + e);
                throw e;
            }
        });
    }

    private Runnable guard(Step step) {
        return () -> {
            if (!running.get()) {
                return;
            }
            try {
                step.run();
            } catch (SQLException e) {
                stats.errors.incrementAndGet();
                db.discard(); // a restarted server: the next step of this thread connects anew
            } catch (Exception e) {
                stats.errors.incrementAndGet();
            }
        };
    }

    @Override
    public void close() {
        running.set(false);
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            if (consumerThread != null) {
                consumerThread.join(3000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(3));
        if (checks != null) {
            checks.close();
        }
        db.close();
    }
}
