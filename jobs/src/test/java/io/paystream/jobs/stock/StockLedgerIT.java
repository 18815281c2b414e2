package io.paystream.jobs.stock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.functions.testing.FailOnce;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.testing.Eventually;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.jobs.testing.TopicReader;
import io.paystream.jobs.tools.consistency.StockFromMySql;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.SharedServers;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.contract.Alert;
import io.paystream.state.shop.OrderItemRow;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

/**
 * The stock ledger on the real stack: rows written to MariaDB, Redis read back and compared with
 * an independent recomputation from MySQL, alerts and commands read back with a read_committed
 * consumer. The test plays the order system: it applies the CANCEL_* commands as the shop would.
 * One job run (started once, before all tests) covers a randomized workload (cancellations,
 * expiries, closes, rows out of order, line changes, operator stock changes, an injected failure
 * and restart) and the oversell, duplicate-submission, purchase-limit and risk scenarios, each on
 * SKUs and users of its own; each scenario is a test of its own, so one failing does not hide
 * the others.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StockLedgerIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "stock-it:";
    private static final long TRIGGER_ITEM = 999_999;
    private static final String FAILURE = "stock-ledger-it";

    // Scenario SKUs, apart from the randomized workload's 1..12.
    private static final long OVERSELL_SKU = 100;
    private static final long LIMITED_SKU = 101;
    private static final long RISK_SKU = 102;

    private ShopDb db;
    private final Map<Long, String> modes = new HashMap<>();
    private final Set<Long> expectedExpired = new HashSet<>();
    private final Set<Long> endedByShop = new HashSet<>(); // paid, cancelled or closed by the shop
    private JobClient client;
    private OrderSystem orderSystem;
    private TopicReader alerts;

    /**
     * One job run for every scenario: the catalogue and some history before the start (read by
     * the CDC snapshot), then the randomized workload with a failure in the middle and each
     * scenario's rows. Each test below waits for and checks its own scenario.
     */
    @BeforeAll
    void runTheJobThroughTheWorkloadAndEveryScenario() throws Exception {
        db = ShopDb.create("stock_it");
        String topics = "stock-it.";
        SharedServers.kafka()
                .createTopics(Map.of(topics + "alerts", 2, topics + "order-commands", 2, topics + "dlq", 1));
        Random random = new Random(7);
        for (long sku = 1; sku <= 12; sku++) {
            addSku(sku, 40 + random.nextInt(40), sku % 3 == 0 ? "PAYMENT" : "ORDER", null);
        }
        addSku(OVERSELL_SKU, 5, "PAYMENT", null);
        addSku(LIMITED_SKU, 100, "ORDER", 3);
        addSku(RISK_SKU, 1000, "PAYMENT", null);
        // An unpaid order created an hour ago: overdue as soon as the job sees it.
        db.exec(order(1, 1, "CREATED", "NOW(3) - INTERVAL 1 HOUR", null), item(10, 1, 1, 2));
        expectedExpired.add(1L);
        db.exec(order(2, 2, "PAID", "NOW(3) - INTERVAL 1 HOUR", null), item(20, 2, 2, 1), item(21, 2, 3, 2));
        db.exec(order(3, 3, "CANCELLED", "NOW(3) - INTERVAL 1 HOUR", null), item(30, 3, 4, 5));
        db.exec(order(4, 4, "CREATED", "NOW(3) - INTERVAL 1 HOUR", null), item(40, 4, 3, 1)); // deducts on payment only

        FailOnce.arm(FAILURE);
        client = startJob(topics, PREFIX, "5660-5661", true);
        orderSystem = new OrderSystem(topics + "order-commands");
        alerts = new TopicReader(topics + "alerts");
        orderSystem.start();
        Eventually.await(
                "the snapshot's SKUs in Redis", WAIT, () -> redisCounts().size() == 15);
        randomizedWorkloadWithAFailure(random);
        oversell();
        duplicateSubmission();
        purchaseLimit();
        risk();
    }

    @AfterAll
    void stopTheJob() throws Exception {
        stopTheFirstRun();
    }

    private void randomizedWorkloadWithAFailure(Random random) throws Exception {
        for (int i = 0; i < 160; i++) {
            long orderId = 1000 + i;
            Fate fate = placeRandomOrder(orderId, random);
            if (fate == Fate.EXPIRES) {
                expectedExpired.add(orderId);
            } else if (fate == Fate.ENDED_BY_SHOP) {
                endedByShop.add(orderId);
            }
            if (i == 80) {
                // A crash in the middle: the job restarts from its last checkpoint and replays.
                db.exec(order(9999, 9, "CREATED", "NOW(3)", null), item(TRIGGER_ITEM, 9999, 1, 1));
                pay(9999);
            }
            if (i % 40 == 20) {
                // An operator changes a stock: shows at once, whatever else happens.
                db.exec("UPDATE inventory SET stock = stock + 7 WHERE sku_id = " + (1 + random.nextInt(12)));
            }
        }
    }

    /** 8 orders of a 5-unit SKU that deducts on payment, paid at the same time. */
    private void oversell() throws Exception {
        for (long o = 200; o < 208; o++) {
            db.exec(order(o, o, "CREATED", "NOW(3)", null), item(o * 10, o, OVERSELL_SKU, 1));
            db.exec("INSERT INTO payments VALUES ('P" + o + "', " + o
                    + ", 'WECHAT', 10.00, 'PAYING', NULL, NOW(3), NOW(3))");
        }
        payConcurrently(200, 208);
    }

    /** The same content twice, a second apart. */
    private void duplicateSubmission() throws Exception {
        db.exec(order(300, 300, "CREATED", "NOW(3)", "HASH-300"), item(3000, 300, RISK_SKU, 1));
        db.exec(order(301, 300, "CREATED", "NOW(3) + INTERVAL 1 SECOND", "HASH-300"), item(3010, 301, RISK_SKU, 1));
    }

    /** 2 + 2 units of a SKU limited to 3 per user. */
    private void purchaseLimit() throws Exception {
        db.exec(order(400, 400, "CREATED", "NOW(3)", null), item(4000, 400, LIMITED_SKU, 2));
        pay(400);
        db.exec(order(401, 400, "CREATED", "NOW(3)", null), item(4010, 401, LIMITED_SKU, 2));
    }

    /** One account creating 4 unpaid orders (limit 3). */
    private void risk() throws Exception {
        for (long o = 500; o < 504; o++) {
            db.exec(order(o, 500, "CREATED", "NOW(3)", null), item(o * 10, o, RISK_SKU, 1));
        }
    }

    @Test
    @Order(1)
    void everyUnpaidOrderHoldingDeductOnOrderStockExpiresAcrossTheRestart() {
        orderSystem.await(
                "every unpaid order holding stock expired",
                expectedExpired.size(),
                c -> c.startsWith("CANCEL_UNPAID:"));
        assertThat(FailOnce.hasFailed(FAILURE)).as("the failure was injected").isTrue();
        List<Long> expired = orderSystem.commandIds().stream()
                .filter(c -> c.startsWith("CANCEL_UNPAID:"))
                .map(c -> Long.parseLong(c.substring(14)))
                .toList();
        assertThat(expired).containsAll(expectedExpired);
        // The one deviation allowed: an order the shop paid or ended just before its deadline,
        // whose row the job had not read yet (CDC lag under load, or a restart firing overdue
        // deadlines before re-reading the binlog). The order system ignores that cancel (the
        // order is no longer CREATED) and the counts already show the row's effect.
        assertThat(expired.stream().filter(id -> !expectedExpired.contains(id))).isSubsetOf(endedByShop);
    }

    @Test
    @Order(2)
    void oversellIsSoldAndEachOrderBeyondTheStockNamedOnce() throws Exception {
        List<String> values = alerts.awaitValues(3, WAIT, v -> v.contains("\"skuId\":" + OVERSELL_SKU + ","));
        Eventually.await(
                "8 sold of SKU " + OVERSELL_SKU,
                WAIT,
                () -> "8".equals(hash(OVERSELL_SKU).get("sold")));
        assertThat(hash(OVERSELL_SKU))
                .containsEntry("total", "5")
                .containsEntry("sold", "8")
                .containsEntry("available", "-3")
                .containsEntry("oversold", "3")
                .containsEntry("mode", "PAYMENT");
        List<JsonNode> oversoldAlerts = alertsOf(values, "OVERSOLD", OVERSELL_SKU);
        assertThat(oversoldAlerts).hasSize(3);
        assertThat(oversoldAlerts).allSatisfy(a -> {
            assertThat(a.get("orderId").asLong()).isBetween(200L, 207L);
            assertThat(a.get("amount").asText()).isEqualTo("10.00");
        });
    }

    @Test
    @Order(3)
    void aDuplicateSubmissionIsFlaggedAndCancelledAndItsHashKeptForTheWindow() throws Exception {
        orderSystem.await("the duplicate cancelled", 1, c -> c.equals("CANCEL_DUPLICATE:301"));
        List<String> values = alerts.awaitValues(1, WAIT, v -> v.contains("DUPLICATE_SUBMISSION:301"));
        assertThat(ids(values, "alertId")).doesNotContain("DUPLICATE_SUBMISSION:300");
        try (Jedis redis = new Jedis(URI.create(SharedServers.redis().uri()))) {
            assertThat(redis.get(PREFIX + "order:submit:HASH-300")).isEqualTo("300");
            assertThat(redis.pttl(PREFIX + "order:submit:HASH-300"))
                    .isBetween(1L, Duration.ofMinutes(10).toMillis());
        }
        Eventually.await("order 301 cancelled by the shop", WAIT, () -> "CANCELLED".equals(statusNow(301)));
    }

    @Test
    @Order(4)
    void anOrderTakingTheUserOverThePurchaseLimitIsCancelled() throws Exception {
        orderSystem.await("the over-limit order cancelled", 1, c -> c.equals("CANCEL_OVER_LIMIT:401:" + LIMITED_SKU));
        alerts.awaitValues(1, WAIT, v -> v.contains("PURCHASE_LIMIT_EXCEEDED:" + LIMITED_SKU + ":401"));
        Eventually.await("order 401 cancelled by the shop", WAIT, () -> "CANCELLED".equals(statusNow(401)));
        Eventually.await(
                "order 401's units released",
                WAIT,
                () -> "0".equals(hash(LIMITED_SKU).get("reserved")));
        assertThat(hash(LIMITED_SKU)).containsEntry("sold", "2").containsEntry("reserved", "0");
    }

    @Test
    @Order(5)
    void anAccountWithTooManyUnpaidOrdersIsFlaggedOnce() throws Exception {
        alerts.awaitValues(1, WAIT, v -> v.contains("SUSPICIOUS_ACCOUNT:user:500:"));
        assertThat(ids(alerts.drain(Duration.ofSeconds(1)), "alertId").stream()
                        .filter(id -> id.startsWith("SUSPICIOUS_ACCOUNT:user:500:")))
                .containsExactly("SUSPICIOUS_ACCOUNT:user:500:503");
    }

    @Test
    @Order(6)
    void redisCountsConvergeToARecomputationFromMySql() throws Exception {
        // Once the shop applied the cancels.
        AtomicReference<Map<Long, String>> expected = new AtomicReference<>();
        AtomicReference<Map<Long, String>> actual = new AtomicReference<>();
        try {
            Eventually.await("Redis counts equal to MySQL's", WAIT, () -> {
                try {
                    expected.set(recompute());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                actual.set(redisCounts());
                return expected.get().equals(actual.get());
            });
        } finally {
            assertThat(actual.get())
                    .as("Redis stock:* (total/reserved/sold/available)")
                    .isEqualTo(expected.get());
        }
    }

    @Test
    @Order(7)
    void everyAlertAndCommandIsPublishedExactlyOnce() throws Exception {
        // Let anything that would be a duplicate or a late extra arrive before judging.
        List<String> alertValues = alerts.drain(Duration.ofSeconds(3));
        assertThat(ids(alertValues, "alertId")).as("every alert exactly once").doesNotHaveDuplicates();
        for (var r : alerts.records()) {
            assertThat(r.key()).as("every alert has a Kafka key").isNotNull();
            assertThat(new String(r.key(), StandardCharsets.UTF_8))
                    .as("the key docs/contract.md names for its type")
                    .isEqualTo(JSON.readValue(r.value(), Alert.class).kafkaKey());
        }
        assertThat(orderSystem.commandIds()).as("every command exactly once").doesNotHaveDuplicates();
    }

    @Test
    @Order(8)
    void aFreshJobRereadingEverythingComputesTheSameCounts() throws Exception {
        // A full re-read (a fresh job: snapshot of everything, rows in whatever order the snapshot
        // gives), once the first run is stopped and MySQL no longer changes.
        stopTheFirstRun();
        Map<Long, String> expected = recompute();
        String replayTopics = "stock-it-replay.";
        SharedServers.kafka()
                .createTopics(Map.of(
                        replayTopics + "alerts", 1, replayTopics + "order-commands", 1, replayTopics + "dlq", 1));
        JobClient replay = startJob(replayTopics, "stock-it-replay:", "5662-5663", false);
        try {
            AtomicReference<Map<Long, String>> actual = new AtomicReference<>();
            try {
                Eventually.await("a fresh job's counts equal to MySQL's", WAIT, () -> {
                    actual.set(redisCounts("stock-it-replay:"));
                    return expected.equals(actual.get());
                });
            } finally {
                assertThat(actual.get()).as("Redis stock:* of a fresh job").isEqualTo(expected);
            }
        } finally {
            replay.cancel().get();
        }
    }

    private void stopTheFirstRun() throws Exception {
        if (client == null) {
            return;
        }
        try {
            orderSystem.close();
            alerts.close();
        } finally {
            client.cancel().get();
            client = null;
        }
    }

    private JobClient startJob(String topics, String keyPrefix, String serverIds, boolean failOnce) throws Exception {
        Settings settings = JobRunner.settings(
                new StockLedgerJob(),
                db.settingsArgs(
                        "--kafka.bootstrap-servers",
                        SharedServers.kafka().bootstrapServers(),
                        "--kafka.topic.alerts",
                        topics + "alerts",
                        "--kafka.topic.order-commands",
                        topics + "order-commands",
                        "--kafka.topic.dlq",
                        topics + "dlq",
                        "--redis.uri",
                        SharedServers.redis().uri(),
                        "--redis.key-prefix",
                        keyPrefix,
                        "--checkpoint.interval",
                        "500 ms",
                        "--restart.delay",
                        "500 ms",
                        "--order.pay-timeout",
                        "10s",
                        "--risk.max-unpaid-per-account",
                        "3",
                        "--mysql.server-id",
                        serverIds,
                        "--parallelism",
                        "2"),
                Map.of());
        StockLedgerJob.Inputs inputs = new StockLedgerJob.Inputs(settings);
        if (failOnce) {
            inputs.tapOrderItems(items -> items.map(new FailOnceOn(TRIGGER_ITEM))
                    .returns(items.getType())
                    .uid("fail-once")
                    .name("fail once"));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobRunner.define(new StockLedgerJob(), settings, env, inputs);
        return env.executeAsync("stock-ledger-it " + keyPrefix);
    }

    private enum Fate {
        EXPIRES,
        STAYS_UNPAID,
        ENDED_BY_SHOP
    }

    /** One order of the randomized workload; returns what becomes of it. */
    private Fate placeRandomOrder(long orderId, Random r) throws Exception {
        long user = 1 + r.nextInt(50);
        int lines = 1 + r.nextInt(3);
        List<String> itemRows = new ArrayList<>();
        Map<Long, Long> skuOfItem = new TreeMap<>();
        for (int l = 0; l < lines; l++) {
            long sku = 1 + r.nextInt(12);
            long itemId = orderId * 10 + l;
            skuOfItem.put(itemId, sku);
            itemRows.add(item(itemId, orderId, sku, 1 + r.nextInt(3)));
        }
        double fate = r.nextDouble();
        boolean itemsFirst = r.nextDouble() < 0.25;
        boolean payFirst = fate < 0.5 && !itemsFirst && r.nextDouble() < 0.3;
        String orderRow = order(orderId, user, "CREATED", "NOW(3)", null);
        if (itemsFirst) {
            db.exec(itemRows.toArray(new String[0])); // the lines commit before their order
            db.exec(orderRow);
        } else if (payFirst) {
            db.exec(orderRow);
            db.exec("INSERT INTO payments VALUES ('P" + orderId + "', " + orderId + ", 'ALIPAY', 10.00, 'SUCCESS', 'T"
                    + orderId + "', NOW(3), NOW(3))");
            db.exec(itemRows.toArray(new String[0])); // a payment before the lines
        } else {
            List<String> tx = new ArrayList<>(List.of(orderRow));
            tx.addAll(itemRows);
            db.exec(tx.toArray(new String[0]));
        }
        if (r.nextDouble() < 0.1 && lines > 1) {
            long gone = skuOfItem.keySet().iterator().next();
            db.exec("DELETE FROM order_items WHERE item_id = " + gone);
            skuOfItem.remove(gone);
        }
        if (r.nextDouble() < 0.1) {
            db.exec("UPDATE order_items SET quantity = quantity + 1 WHERE order_id = " + orderId);
        }
        if (fate < 0.5) {
            if (payFirst) {
                db.exec("UPDATE orders SET status = 'PAID' WHERE order_id = " + orderId);
            } else {
                pay(orderId);
            }
            if (r.nextDouble() < 0.1) {
                db.exec("UPDATE orders SET status = 'CLOSED' WHERE order_id = " + orderId); // paid, then closed
            }
            return Fate.ENDED_BY_SHOP;
        } else if (fate < 0.65) {
            db.exec("UPDATE orders SET status = 'CANCELLED' WHERE order_id = " + orderId);
            return Fate.ENDED_BY_SHOP;
        } else if (fate < 0.7) {
            db.exec("UPDATE orders SET status = 'CLOSED' WHERE order_id = " + orderId);
            return Fate.ENDED_BY_SHOP;
        }
        // Never paid: it expires if it holds stock of a SKU that deducts on order.
        return skuOfItem.values().stream().anyMatch(sku -> "ORDER".equals(modes.get(sku)))
                ? Fate.EXPIRES
                : Fate.STAYS_UNPAID;
    }

    private void addSku(long sku, int stock, String mode, Integer limit) throws Exception {
        modes.put(sku, mode);
        db.exec("INSERT INTO inventory (sku_id, name, stock, deduct_mode, per_user_limit) VALUES (" + sku + ", 'sku "
                + sku + "', " + stock + ", '" + mode + "', " + limit + ")");
    }

    private static String order(long orderId, long user, String status, String createdAt, String hash) {
        return "INSERT INTO orders VALUES (" + orderId + ", " + user + ", '" + status + "', 10.00, "
                + (hash == null ? "NULL" : "'" + hash + "'") + ", NULL, " + createdAt + ", NOW(3))";
    }

    private static String item(long itemId, long orderId, long sku, int qty) {
        return "INSERT INTO order_items VALUES (" + itemId + ", " + orderId + ", " + sku + ", " + qty + ", 10.00)";
    }

    private void pay(long orderId) throws Exception {
        db.exec("INSERT INTO payments VALUES ('P" + orderId + "', " + orderId
                + ", 'WECHAT', 10.00, 'PAYING', NULL, NOW(3), NOW(3))");
        db.exec(
                "UPDATE payments SET status = 'SUCCESS', channel_txn_id = 'T" + orderId + "' WHERE payment_id = 'P"
                        + orderId + "'",
                "UPDATE orders SET status = 'PAID' WHERE order_id = " + orderId + " AND status = 'CREATED'");
    }

    /** The payment center and the order system of several shoppers at the same instant. */
    private void payConcurrently(long from, long to) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool((int) (to - from));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (long o = from; o < to; o++) {
            long orderId = o;
            done.add(pool.submit(() -> {
                go.await();
                db.exec(
                        "UPDATE payments SET status = 'SUCCESS', channel_txn_id = 'T" + orderId
                                + "' WHERE payment_id = 'P" + orderId + "'",
                        "UPDATE orders SET status = 'PAID' WHERE order_id = " + orderId);
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }

    /**
     * What the counts must be, from MySQL alone: an order is released if CANCELLED or CLOSED, sold
     * if PAID or one of its payments is SUCCESS, else open; open units are reserved only where the
     * SKU deducts on order. Values as {@code total/reserved/sold/available}.
     */
    private Map<Long, String> recompute() throws Exception {
        try (Connection c = DriverManager.getConnection(
                db.server().jdbcUrl(db.database()),
                MariaDbServer.SHOP_USER,
                db.server().shopPassword())) {
            return StockFromMySql.recompute(c);
        }
    }

    private static Map<Long, String> redisCounts() {
        return redisCounts(PREFIX);
    }

    private static Map<Long, String> redisCounts(String prefix) {
        try (Jedis redis = new Jedis(URI.create(SharedServers.redis().uri()))) {
            return StockFromMySql.inRedis(redis, prefix);
        }
    }

    private static Map<String, String> hash(long sku) {
        try (Jedis redis = new Jedis(URI.create(SharedServers.redis().uri()))) {
            return redis.hgetAll(PREFIX + "stock:" + sku);
        }
    }

    private String statusNow(long orderId) {
        try {
            return status(orderId);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String status(long orderId) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        db.server().jdbcUrl(db.database()),
                        MariaDbServer.SHOP_USER,
                        db.server().shopPassword());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT status FROM orders WHERE order_id = " + orderId)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> ids(List<String> values, String field) throws Exception {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            out.add(JSON.readTree(v).get(field).asText());
        }
        return out;
    }

    private static List<JsonNode> alertsOf(List<String> values, String type, long sku) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String v : values) {
            JsonNode a = JSON.readTree(v);
            if (a.get("type").asText().equals(type)
                    && a.has("skuId")
                    && a.get("skuId").asLong() == sku) {
                out.add(a);
            }
        }
        return out;
    }

    /** The shop's order system: applies CANCEL_* commands to orders still CREATED, as deploy/sandbox's shop does. */
    private final class OrderSystem implements AutoCloseable {
        private final TopicReader commands;
        private final List<String> ids = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Thread thread;

        OrderSystem(String topic) {
            commands = new TopicReader(topic);
            thread = new Thread(this::run, "order-system");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            int applied = 0;
            try {
                while (running.get()) {
                    List<String> values = commands.drain(Duration.ofMillis(200));
                    for (; applied < values.size(); applied++) {
                        JsonNode c = JSON.readTree(values.get(applied));
                        if (c.get("type").asText().startsWith("CANCEL_")) {
                            db.exec("UPDATE orders SET status = 'CANCELLED' WHERE order_id = "
                                    + c.get("orderId").asLong() + " AND status = 'CREATED'");
                        }
                        ids.add(c.get("commandId").asText());
                    }
                }
            } catch (Exception e) {
                failure.set(e);
            }
        }

        void await(String what, int n, java.util.function.Predicate<String> filter) {
            try {
                Eventually.await(
                        what,
                        WAIT,
                        () -> failure.get() != null
                                || ids.stream().filter(filter).count() >= n);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; commands so far: " + ids, e);
            }
            assertThat(failure.get()).as("the order system failed").isNull();
        }

        List<String> commandIds() {
            return new ArrayList<>(ids);
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            thread.join(5_000);
            commands.close();
        }
    }

    /** The shared failure injector, on one order line. */
    static final class FailOnceOn extends FailOnce<RowChange<OrderItemRow>> {
        FailOnceOn(long itemId) {
            super(FAILURE, c -> c.row().itemId == itemId);
        }
    }
}
