package io.paystream.jobs.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.payments.PaymentsJob;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.search.OrderSearchJob;
import io.paystream.jobs.stock.StockLedgerJob;
import io.paystream.jobs.testing.EsIndex;
import io.paystream.jobs.testing.Eventually;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.jobs.testing.TopicReader;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.ScratchDirectories;
import io.paystream.servers.SharedServers;
import io.paystream.state.cdc.ShopTable;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

/**
 * The real jobs (payments, stock ledger, order search, wired as in production by {@link JobRunner})
 * on three schemas that hold the same business events: the contract schema, the "mall" schema
 * (two servers, two databases, sharded pay orders, text order numbers, TINYINT(1) and integer
 * status codes, fen, channel codes, DATETIME in Asia/Shanghai, no client IP, a computed submit
 * hash, no deduct-mode column) and a PHP-style shop (phpshop.sql: other table and column names,
 * BIGINT UNSIGNED ids, lower-case state words with several onto PAID, fen, epoch seconds,
 * TIMESTAMP, an ENUM pay state, DATETIME(3) in Europe/Berlin with daylight saving time, a
 * deduct-mode code and a per-user-limit column). Each job's outputs on a mapped schema must equal
 * those on the contract schema: the Kafka records (ids, keys, every field but the emission
 * times), the Redis stock hashes and submission keys, the Elasticsearch documents. Deadlines count
 * from the rows' own times, so a time read in the wrong zone shows in the ids and the deadlines.
 *
 * <p>One run of the nine jobs, started once: the history and the callback payments are in the
 * snapshot, the timed scenarios (lost payments, stock) come by binlog, the test plays the payment
 * center (a query answer) and the order system (an order marked PAID after its re-notification)
 * on each schema when that schema's job asks for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MappedJobsIT {
    private static final Duration START = Duration.ofSeconds(240);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private static final String[] PAYMENT_TOPICS = {
        "callbacks", "query-results", "results", "requery", "alerts", "order-commands", "dlq"
    };
    private static final String[] STOCK_TOPICS = {"alerts", "order-commands", "dlq"};

    // The business events (order ids fit the mall's order numbers: up to 18 digits).
    private static final long H1 = 202507140000001L; // history: summer (CEST), closed
    private static final long H2 = 202501140000002L; // history: winter (CET), cancelled, payment failed
    private static final long H3 = 202503300000003L; // history: around the spring-forward of 2025-03-30
    private static final long X1 = 202612010000010L; // unpaid for an hour, deducts on order: expires at once
    private static final long CB = 202612010000110L; // + 1..4: paid by callback (4: amount mismatch)
    private static final long LOST = 202612010000101L;
    private static final long RECOVERED = 202612010000102L;
    private static final long UNPAID_ORDER = 202612010000103L;
    private static final long FIXED = 202612010000104L;
    private static final long S1 = 202612010000201L; // 2 x 501, paid
    private static final long S2 = 202612010000202L; // 2 x 501, same user: beyond the limit of 3
    private static final long O = 202612010000210L; // + 1..3: 1 x 502 (stock 2, deducts on payment), paid
    private static final long D1 = 202612010000221L; // D2 is the same submission a second later
    private static final long D2 = 202612010000222L;
    private static final long X2 = 202612010000231L; // created 20 minutes ago: expires at once

    private final SimulatedChannels channels = SimulatedChannels.generate();
    private final List<Shop> shops = new ArrayList<>();
    private final List<JobClient> jobs = new ArrayList<>();
    private final Map<String, TopicReader> readers = new LinkedHashMap<>();
    private MallSchema mallSchema;
    private PhpShop php;
    private KafkaProducer<byte[], byte[]> producer;
    private Instant t0;

    @BeforeAll
    void runTheJobsOnEverySchema() throws Exception {
        long started = System.nanoTime();
        shops.add(new ContractShop(ShopDb.create("mapped_jobs_contract")));
        mallSchema = new MallSchema("_mj");
        shops.add(new MallShop(mallSchema));
        php = new PhpShop();
        shops.add(php);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());

        for (Shop s : shops) {
            history(s);
        }
        Path keys = ScratchDirectories.create("mapped-jobs-keys");
        Map<String, String> channelSettings = channels.publish(keys);
        int serverId = 5690;
        for (Shop s : shops) {
            jobs.add(start(new PaymentsJob(), s, serverId++, paymentArgs(s, channelSettings)));
            jobs.add(start(new StockLedgerJob(), s, serverId++, stockArgs(s)));
            jobs.add(start(new OrderSearchJob(), s, serverId++, searchArgs(s)));
            for (String t : PAYMENT_TOPICS) {
                readers.put(s.paymentTopic(t), new TopicReader(s.paymentTopic(t)));
            }
            for (String t : STOCK_TOPICS) {
                readers.put(s.stockTopic(t), new TopicReader(s.stockTopic(t)));
            }
        }
        sendCallbacks();
        // The first outcome on every schema: its payments job is through the snapshot and live.
        for (Shop s : shops) {
            reader(s.paymentTopic("results")).awaitValues(1, START, v -> v.contains("\"paymentId\":\"MJ-CB-1\""));
        }
        System.out.printf("mapped jobs IT: nine jobs live after %d s%n", seconds(started));

        // The timed scenarios, the same instants on every schema (written one schema after the other).
        t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (Shop s : shops) {
            lostPayments(s);
        }
        for (Shop s : shops) {
            stock(s);
        }
        playThePaymentCenterAndTheOrderSystem();
        System.out.printf("mapped jobs IT: scenarios played after %d s%n", seconds(started));
    }

    @AfterAll
    void stop() throws Exception {
        for (JobClient j : jobs) {
            try {
                j.cancel().get();
            } catch (Exception ignored) {
                // a job that failed is reported by its test
            }
        }
        readers.values().forEach(TopicReader::close);
        if (producer != null) {
            producer.close();
        }
        if (mallSchema != null) {
            mallSchema.close();
        }
    }

    // ---------------------------------------------------------------- the business events

    /** Before the jobs start (the snapshot): the catalogue, history around DST, payments awaiting callbacks. */
    private static void history(Shop s) throws Exception {
        s.sku(501, "sku-501", 10, "ORDER", 3);
        s.sku(502, "sku-502", 2, "PAYMENT", null);
        s.sku(503, "sku-503", 20, "ORDER", null);
        Instant summer = Instant.parse("2025-07-14T08:00:00Z");
        s.order(
                new Ord(H1, 301, "CLOSED", 0, 3000, "Summer Road 1", summer, summer.plus(Duration.ofDays(1))),
                new Item(9001, H1, 503, 1, 3000));
        s.payment(new Pay(
                "MJ-H1",
                H1,
                "ALIPAY",
                3000,
                "CLOSED",
                1,
                "AL-H1",
                Instant.parse("2025-07-14T08:00:01.250Z"),
                Instant.parse("2025-07-14T08:15:00.500Z")));
        Instant winter = Instant.parse("2025-01-14T09:00:00Z");
        s.order(
                new Ord(H2, 302, "CANCELLED", 0, 4500, "Winter Road 2", winter, winter.plusSeconds(1800)),
                new Item(9002, H2, 501, 3, 1500));
        s.payment(new Pay(
                "MJ-H2",
                H2,
                "UNIONPAY",
                4500,
                "FAILED",
                0,
                null,
                Instant.parse("2025-01-14T09:00:02.125Z"),
                Instant.parse("2025-01-14T09:01:00.750Z")));
        // Berlin's clocks went from 02:00 CET to 03:00 CEST at 01:00 UTC: 01:59:59 CET, then 03:00:00.500 CEST.
        s.order(new Ord(
                H3,
                303,
                "CLOSED",
                1,
                750,
                "Spring Road 3",
                Instant.parse("2025-03-30T00:30:00Z"),
                Instant.parse("2025-03-30T01:30:00Z")));
        s.payment(new Pay(
                "MJ-H3",
                H3,
                "WECHAT",
                750,
                "CLOSED",
                0,
                null,
                Instant.parse("2025-03-30T00:59:59Z"),
                Instant.parse("2025-03-30T01:00:00.500Z")));
        Instant hourAgo = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        s.order(
                new Ord(X1, 310, "CREATED", 0, 2000, "Late Road 10", hourAgo, hourAgo),
                new Item(9010, X1, 503, 2, 1000));
        // Payments created but not yet paid; their callbacks come once the jobs run.
        Instant created = Instant.parse("2026-12-01T08:00:00Z");
        String[] channel = {"WECHAT", "ALIPAY", "UNIONPAY", "WECHAT"};
        long[] fen = {6660, 101, 123456, 5000};
        for (int i = 1; i <= 4; i++) {
            s.order(new Ord(CB + i, 110 + i, "CREATED", 0, fen[i - 1], "Callback Road " + i, created, created));
            s.payment(new Pay(
                    "MJ-CB-" + i,
                    CB + i,
                    channel[i - 1],
                    fen[i - 1],
                    "CREATED",
                    0,
                    null,
                    created.plusMillis(100 * i),
                    created.plusMillis(100 * i + 5)));
        }
    }

    /**
     * Genuine notifications of MJ-CB-1..3, each sent twice; MJ-CB-4 notified with one fen more than
     * its row; a forgery about MJ-CB-1. The same records to every schema's callbacks topic.
     */
    private void sendCallbacks() {
        Instant paidAt = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        List<CallbackEnvelope> envelopes = new ArrayList<>();
        envelopes.add(channels.wechat()
                .notification(
                        new PaymentFacts("MJ-CB-1", "WX-CB-1", 6660, "SUCCESS", paidAt),
                        Instant.now(),
                        SimulatedChannels.genuineAddress("WECHAT", 1),
                        Forgery.NONE));
        envelopes.add(channels.alipay()
                .notification(
                        new PaymentFacts("MJ-CB-2", "AL-CB-2", 101, "SUCCESS", paidAt),
                        Instant.now(),
                        SimulatedChannels.genuineAddress("ALIPAY", 2),
                        Forgery.NONE));
        envelopes.add(channels.unionpay()
                .notification(
                        new PaymentFacts("MJ-CB-3", "UP-CB-3", 123456, "SUCCESS", paidAt),
                        Instant.now(),
                        SimulatedChannels.genuineAddress("UNIONPAY", 3),
                        Forgery.NONE));
        envelopes.add(channels.wechat()
                .notification(
                        new PaymentFacts("MJ-CB-4", "WX-CB-4", 5001, "SUCCESS", paidAt),
                        Instant.now(),
                        SimulatedChannels.genuineAddress("WECHAT", 4),
                        Forgery.NONE));
        envelopes.add(channels.wechat()
                .notification(
                        new PaymentFacts("MJ-CB-1", "FORGED-1", 6660, "SUCCESS", paidAt),
                        Instant.now(),
                        SimulatedChannels.genuineAddress("WECHAT", 5),
                        Forgery.BAD_SIGNATURE));
        envelopes.add(
                envelopes.get(0).resent(SimulatedChannels.genuineAddress("WECHAT", 6), System.currentTimeMillis()));
        envelopes.add(
                envelopes.get(1).resent(SimulatedChannels.genuineAddress("ALIPAY", 7), System.currentTimeMillis()));
        envelopes.add(
                envelopes.get(2).resent(SimulatedChannels.genuineAddress("UNIONPAY", 8), System.currentTimeMillis()));
        for (Shop s : shops) {
            for (CallbackEnvelope e : envelopes) {
                send(s.paymentTopic("callbacks"), e.notifyId, e.toJson());
            }
        }
        producer.flush();
    }

    /**
     * MJ-LOST stays PAYING (re-queries, then LOST_PAYMENT_EXTERNAL); MJ-RECOVERED is answered SUCCESS
     * after its first re-query; MJ-UNPAID-ORDER succeeds but its order never turns PAID (re-notify,
     * then LOST_PAYMENT_INTERNAL); MJ-FIXED's order turns PAID after the first re-notification.
     */
    private void lostPayments(Shop s) throws Exception {
        Instant at = t0.plusMillis(123);
        s.order(new Ord(LOST, 101, "CREATED", 0, 3550, "Lost Road", t0, t0));
        s.payment(new Pay("MJ-LOST", LOST, "WECHAT", 3550, "PAYING", 0, null, at, at));
        s.order(new Ord(RECOVERED, 102, "CREATED", 0, 1200, "Query Road", t0, t0));
        s.payment(new Pay("MJ-RECOVERED", RECOVERED, "ALIPAY", 1200, "PAYING", 0, null, at, at));
        s.order(
                new Ord(UNPAID_ORDER, 103, "CREATED", 0, 880, "Unpaid Road", t0, t0),
                new Item(1031, UNPAID_ORDER, 503, 1, 880));
        s.payment(new Pay("MJ-UNPAID-ORDER", UNPAID_ORDER, "UNIONPAY", 880, "SUCCESS", 0, "UP-103", at, at));
        s.order(new Ord(FIXED, 104, "CREATED", 0, 990, "Fixed Road", t0, t0));
        s.payment(new Pay("MJ-FIXED", FIXED, "WECHAT", 990, "SUCCESS", 0, "WX-104", at, at));
    }

    /** Reservations, a purchase limit, an oversell, a duplicate submission and an expiry. */
    private void stock(Shop s) throws Exception {
        s.order(new Ord(S1, 201, "CREATED", 0, 1000, "Stock Road 1", t0, t0), new Item(2011, S1, 501, 2, 500));
        Instant later = t0.plusSeconds(1);
        s.order(new Ord(S2, 201, "CREATED", 0, 1000, "Stock Road 2", later, later), new Item(2021, S2, 501, 2, 500));
        for (int i = 1; i <= 3; i++) {
            s.order(
                    new Ord(O + i, 210 + i, "CREATED", 0, 800, "Oversell Road " + i, t0, t0),
                    new Item(2100 + i, O + i, 502, 1, 800));
        }
        for (int i = 1; i <= 3; i++) {
            // one after the other: the third sale is the one beyond the stock on every schema
            s.orderStatus(O + i, "PAID", i, t0.plusSeconds(2));
        }
        s.order(new Ord(D1, 221, "CREATED", 0, 1500, "Same Road 9", t0, t0), new Item(2211, D1, 503, 1, 1500));
        s.order(new Ord(D2, 221, "CREATED", 0, 1500, "Same Road 9", later, later), new Item(2221, D2, 503, 1, 1500));
        Instant twentyMinutesAgo = t0.minus(Duration.ofMinutes(20));
        s.order(
                new Ord(X2, 231, "CREATED", 0, 500, "Late Road 31", twentyMinutesAgo, twentyMinutesAgo),
                new Item(2311, X2, 501, 1, 500));
        s.orderStatus(S1, "PAID", 1, t0.plusSeconds(3));
    }

    /**
     * On each schema, when that schema's job asks: the payment center answers the first re-query of
     * MJ-RECOVERED with SUCCESS; the order system marks MJ-FIXED's order PAID after its first
     * re-notification. Returns once every schema raised both lost-payment alerts.
     */
    private void playThePaymentCenterAndTheOrderSystem() throws Exception {
        Set<Shop> answered = new HashSet<>();
        Set<Shop> fixed = new HashSet<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            boolean done = true;
            for (Shop s : shops) {
                TopicReader requery = reader(s.paymentTopic("requery"));
                TopicReader commands = reader(s.paymentTopic("order-commands"));
                TopicReader alerts = reader(s.paymentTopic("alerts"));
                requery.drain(Duration.ofMillis(100));
                commands.drain(Duration.ofMillis(100));
                alerts.drain(Duration.ofMillis(100));
                if (!answered.contains(s)) {
                    for (String v : requery.values()) {
                        JsonNode c = JSON.readTree(v);
                        if (c.get("paymentId").asText().equals("MJ-RECOVERED")) {
                            String answer = channels.queryAnswers()
                                    .answer(
                                            c.get("commandId").asText(),
                                            "ALIPAY",
                                            new PaymentFacts(
                                                    "MJ-RECOVERED",
                                                    "AL-102",
                                                    1200,
                                                    "SUCCESS",
                                                    t0.plusSeconds(1).plusMillis(500)),
                                            Instant.now(),
                                            false);
                            send(
                                    s.paymentTopic("query-results"),
                                    c.get("commandId").asText(),
                                    answer);
                            producer.flush();
                            answered.add(s);
                            break;
                        }
                    }
                }
                if (!fixed.contains(s) && commands.values().stream().anyMatch(v -> v.contains("\"MJ-FIXED\""))) {
                    // Stamped the same on every schema (after the first re-notification, due at 6 s).
                    s.orderStatus(FIXED, "PAID", 2, t0.plusSeconds(7));
                    fixed.add(s);
                }
                done &= alerts.values().stream().anyMatch(v -> v.contains("LOST_PAYMENT_EXTERNAL:MJ-LOST"))
                        && alerts.values().stream().anyMatch(v -> v.contains("LOST_PAYMENT_INTERNAL:MJ-UNPAID-ORDER"));
            }
            if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for both lost-payment alerts on every"
                        + " schema; answered " + names(answered) + ", fixed " + names(fixed));
            }
        }
    }

    // ---------------------------------------------------------------- the tests

    @Test
    @Order(1)
    void theShopsOwnSchemaPassesTheMappingCheck() {
        Settings settings = JobRunner.settings(new PaymentsJob(), php.settingsArgs(), Map.of());
        MappingCheck.Report report =
                MappingCheck.check(ShopMapping.load(settings, Map.of()), EnumSet.allOf(ShopTable.class));
        assertThat(report.problems).isEmpty();
        assertThat(report.ok()).isTrue();
    }

    @Test
    @Order(2)
    void lostPaymentsGiveTheSameReQueriesReNotificationsAndAlerts() throws Exception {
        Map<Shop, List<String>> requeries = new LinkedHashMap<>();
        Map<Shop, List<String>> commands = new LinkedHashMap<>();
        Map<Shop, List<String>> alerts = new LinkedHashMap<>();
        settle("payment", PAYMENT_TOPICS);
        for (Shop s : shops) {
            requeries.put(s, normalized(s, s.paymentTopic("requery")));
            commands.put(s, normalized(s, s.paymentTopic("order-commands")));
            alerts.put(s, normalized(s, s.paymentTopic("alerts")));
        }
        Shop contract = shops.get(0);
        long paying = t0.plusMillis(123).toEpochMilli();
        assertThat(ids(requeries.get(contract), "commandId"))
                .containsExactlyInAnyOrder(
                        "MJ-LOST:" + paying + ":1",
                        "MJ-LOST:" + paying + ":2",
                        "MJ-LOST:" + paying + ":3",
                        "MJ-RECOVERED:" + paying + ":1");
        assertThat(ids(commands.get(contract), "commandId"))
                .containsExactlyInAnyOrder(
                        "RENOTIFY_BUSINESS:MJ-UNPAID-ORDER:" + paying + ":1",
                        "RENOTIFY_BUSINESS:MJ-UNPAID-ORDER:" + paying + ":2",
                        "RENOTIFY_BUSINESS:MJ-FIXED:" + paying + ":1");
        assertThat(ids(alerts.get(contract), "type"))
                .contains("LOST_PAYMENT_EXTERNAL", "LOST_PAYMENT_INTERNAL", "AMOUNT_MISMATCH", "FORGED_CALLBACK");
        for (Shop s : shops.subList(1, shops.size())) {
            assertThat(requeries.get(s))
                    .as(s.name + " payment.requery")
                    .containsExactlyElementsOf(requeries.get(contract));
            assertThat(commands.get(s))
                    .as(s.name + " order.commands")
                    .containsExactlyElementsOf(commands.get(contract));
            assertThat(alerts.get(s)).as(s.name + " payment.alerts").containsExactlyElementsOf(alerts.get(contract));
            assertThat(reader(s.paymentTopic("dlq")).values())
                    .as(s.name + " dead letters")
                    .isEmpty();
        }
    }

    @Test
    @Order(3)
    void callbacksAndQueryAnswersGiveTheSameOutcomesEachOnce() throws Exception {
        Map<Shop, List<String>> results = new LinkedHashMap<>();
        for (Shop s : shops) {
            reader(s.paymentTopic("results")).awaitValues(4, WAIT, v -> true);
            results.put(s, normalized(s, s.paymentTopic("results")));
        }
        Shop contract = shops.get(0);
        assertThat(ids(results.get(contract), "paymentId"))
                .containsExactlyInAnyOrder("MJ-CB-1", "MJ-CB-2", "MJ-CB-3", "MJ-RECOVERED");
        assertThat(results.get(contract))
                .anySatisfy(
                        v -> assertThat(v).contains("\"amount\":\"1234.56\"").contains("\"source\":\"CALLBACK\""))
                .anySatisfy(v ->
                        assertThat(v).contains("\"paymentId\":\"MJ-RECOVERED\"").contains("\"source\":\"QUERY\""));
        for (Shop s : shops.subList(1, shops.size())) {
            assertThat(results.get(s)).as(s.name + " payment.results").containsExactlyElementsOf(results.get(contract));
        }
    }

    @Test
    @Order(4)
    void theStockLedgerGivesTheSameCommandsAlertsAndRedisCounts() throws Exception {
        for (Shop s : shops) {
            TopicReader commands = reader(s.stockTopic("order-commands"));
            commands.awaitValues(1, WAIT, v -> v.contains("CANCEL_UNPAID:" + X2));
            commands.awaitValues(1, WAIT, v -> v.contains("CANCEL_UNPAID:" + X1));
            commands.awaitValues(1, WAIT, v -> v.contains("CANCEL_OVER_LIMIT:" + S2));
            commands.awaitValues(1, WAIT, v -> v.contains("CANCEL_DUPLICATE:" + D2));
            reader(s.stockTopic("alerts")).awaitValues(1, WAIT, v -> v.contains("OVERSOLD"));
        }
        settle("stock", STOCK_TOPICS);
        Shop contract = shops.get(0);
        Map<Shop, List<String>> commands = new LinkedHashMap<>();
        Map<Shop, List<String>> alerts = new LinkedHashMap<>();
        for (Shop s : shops) {
            commands.put(s, normalized(s, s.stockTopic("order-commands")));
            alerts.put(s, normalized(s, s.stockTopic("alerts")));
        }
        assertThat(ids(commands.get(contract), "commandId"))
                .containsExactlyInAnyOrder(
                        "CANCEL_UNPAID:" + X1,
                        "CANCEL_UNPAID:" + X2,
                        "CANCEL_OVER_LIMIT:" + S2 + ":501",
                        "CANCEL_DUPLICATE:" + D2);
        assertThat(ids(alerts.get(contract), "alertId"))
                .contains("PURCHASE_LIMIT_EXCEEDED:501:" + S2, "DUPLICATE_SUBMISSION:" + D2)
                .anySatisfy(id -> assertThat(id).startsWith("OVERSOLD:502:" + (O + 3)));
        for (Shop s : shops.subList(1, shops.size())) {
            assertThat(commands.get(s))
                    .as(s.name + " order.commands")
                    .containsExactlyElementsOf(commands.get(contract));
            assertThat(alerts.get(s)).as(s.name + " payment.alerts").containsExactlyElementsOf(alerts.get(contract));
            assertThat(reader(s.stockTopic("dlq")).values())
                    .as(s.name + " dead letters")
                    .isEmpty();
        }

        // Redis: the counts settle to the same values on every schema.
        Map<String, String> expected502 = Map.of(
                "total", "2", "reserved", "0", "sold", "3", "available", "-1", "oversold", "1", "mode", "PAYMENT");
        List<String> last = new ArrayList<>();
        try {
            Eventually.await("the same stock counts on every schema", WAIT, () -> {
                last.clear();
                Map<Long, Map<String, String>> want = counts(contract);
                if (!want.get(502L).equals(expected502)
                        || !"2".equals(want.get(501L).get("sold"))) {
                    last.add(contract.name + " " + want);
                }
                for (Shop s : shops.subList(1, shops.size())) {
                    if (!counts(s).equals(want)) {
                        last.add(s.name + " " + counts(s) + " vs " + want);
                    }
                }
                return last.isEmpty();
            });
        } catch (AssertionError timedOut) {
            assertThat(last).as("stock counts").isEmpty();
        }
        assertThat(counts(contract).get(503L))
                .as("sold: MJ-UNPAID-ORDER's payment; reserved: D1 and D2 (nobody applies the cancels here)")
                .containsEntry("sold", "1")
                .containsEntry("reserved", "2");

        String hash = sha256("221", "15.00", "Same Road 9");
        long expiresAt = t0.plus(Duration.ofMinutes(10)).toEpochMilli();
        try (Jedis redis = new Jedis(URI.create(SharedServers.redis().uri()))) {
            for (Shop s : shops) {
                String key = s.redisPrefix() + "order:submit:" + hash;
                assertThat(redis.get(key)).as(s.name + " " + key).isEqualTo(String.valueOf(D1));
                long left = redis.pttl(key);
                // PXAT = D1's created_at + 10 min: within the seconds this test has run since.
                assertThat(System.currentTimeMillis() + left)
                        .as(s.name + " expiry of " + key)
                        .isBetween(expiresAt - 2_000, expiresAt + 2_000);
            }
        }
    }

    @Test
    @Order(5)
    void theOrderDocumentsAreTheSame() {
        Shop contract = shops.get(0);
        int orders = 4 + 4 + 4 + 2 + 3 + 2 + 1; // history, callbacks, lost payments, S, O, D, X2
        List<String> last = new ArrayList<>();
        try {
            Eventually.await("the same order documents on every schema", WAIT, () -> {
                last.clear();
                Map<Long, JsonNode> contractDocs = documents(contract, true);
                if (contractDocs.size() != orders
                        || !"PAID".equals(contractDocs.get(FIXED).path("status").asText())) {
                    last.add(contract.name + ": " + contractDocs.size() + " documents of " + orders);
                }
                for (Shop s : shops.subList(1, shops.size())) {
                    Map<Long, JsonNode> want = documents(contract, s.hasClientIp());
                    Map<Long, JsonNode> got = documents(s, s.hasClientIp());
                    for (Long id : want.keySet()) {
                        if (!want.get(id).equals(got.get(id))) {
                            last.add(s.name + " " + id + ": " + got.get(id) + "\n  contract: " + want.get(id));
                        }
                    }
                    if (!got.keySet().equals(want.keySet())) {
                        last.add(s.name + " documents " + got.keySet() + " vs " + want.keySet());
                    }
                }
                return last.isEmpty();
            });
        } catch (AssertionError timedOut) {
            assertThat(last).as("documents that differ").isEmpty();
        }
        Map<Long, JsonNode> docs = documents(contract, true);
        JsonNode h3 = docs.get(H3).path("payments").get(0);
        assertThat(h3.path("createdAt").asLong())
                .isEqualTo(Instant.parse("2025-03-30T00:59:59Z").toEpochMilli());
        assertThat(h3.path("updatedAt").asLong())
                .isEqualTo(Instant.parse("2025-03-30T01:00:00.500Z").toEpochMilli());
        assertThat(docs.get(H1).path("payments").get(0).path("updatedAt").asLong())
                .isEqualTo(Instant.parse("2025-07-14T08:15:00.500Z").toEpochMilli());
        assertThat(docs.get(UNPAID_ORDER).path("paidAt").asLong())
                .isEqualTo(t0.plusMillis(123).toEpochMilli());
        assertThat(docs.get(X1).path("submitHash").asText()).isEqualTo(sha256("310", "20.00", "Late Road 10"));
        for (Shop s : shops) {
            assertThat(documents(s, true).values())
                    .as(s.name + " client IPs")
                    .allSatisfy(d -> assertThat(d.path("clientIp").isTextual()).isEqualTo(s.hasClientIp()));
        }
    }

    // ---------------------------------------------------------------- outputs, normalized

    /**
     * A topic's records as {@code key -> value} lines, sorted, without the fields that are the
     * moment of emission or receipt (emittedAt, raisedAt, verifiedAt, receivedAt: a query answer is
     * answered when the test sends it), with the schema's own topic names (in
     * the coordinates of a rejected record) replaced by their role, and without the order status a
     * re-notification's reason names: the order-keyed operator knows it only when the payment's
     * row reached it before the order's (two streams, which interleave as they come, on one server
     * as on two); otherwise it says "unknown".
     */
    private List<String> normalized(Shop s, String topic) throws Exception {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : reader(topic).records()) {
            assertThat(r.key()).as("key of a record on " + topic).isNotNull();
            ObjectNode v = (ObjectNode) JSON.readTree(r.value());
            v.remove(List.of("emittedAt", "raisedAt", "verifiedAt", "receivedAt"));
            String text = JSON.writeValueAsString(v);
            text = text.replaceAll("\\(order status [A-Za-z]+\\)", "(order status ...)");
            out.add(new String(r.key(), StandardCharsets.UTF_8) + " -> " + s.anonymous(text));
        }
        out.sort(null);
        return out;
    }

    private static List<String> ids(List<String> lines, String field) throws Exception {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(JSON.readTree(l.substring(l.indexOf(" -> ") + 4))
                    .path(field)
                    .asText());
        }
        return out;
    }

    private static Map<Long, Map<String, String>> counts(Shop s) {
        Map<Long, Map<String, String>> out = new TreeMap<>();
        try (Jedis redis = new Jedis(URI.create(SharedServers.redis().uri()))) {
            for (long sku : new long[] {501, 502, 503}) {
                Map<String, String> h = new TreeMap<>(redis.hgetAll(s.redisPrefix() + "stock:" + sku));
                h.remove("version"); // how many changes it took: two servers' interleavings may differ
                h.remove("updatedAt"); // when the job computed it
                out.put(sku, h);
            }
        }
        return out;
    }

    /**
     * The index's documents without what cannot match across schemas (and without the client IP,
     * unless {@code withClientIp}: the mall keeps none).
     */
    private static Map<Long, JsonNode> documents(Shop s, boolean withClientIp) {
        try (EsIndex index = new EsIndex(SharedServers.elasticsearch().httpUrl(), s.index())) {
            Map<Long, JsonNode> out = new TreeMap<>();
            for (Map.Entry<Long, JsonNode> e : index.all().entrySet()) {
                ObjectNode d = (ObjectNode) e.getValue();
                d.remove("lastChangeAt"); // the binlog's commit time: each schema was written at its own moment
                if (!withClientIp) {
                    d.remove("clientIp");
                }
                out.put(e.getKey(), d);
            }
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- jobs

    private JobClient start(PaystreamJob<?, ?> job, Shop s, int serverId, List<String> more) throws Exception {
        List<String> args = new ArrayList<>(List.of(s.settingsArgs()));
        args.addAll(List.of(
                "--kafka.bootstrap-servers", SharedServers.kafka().bootstrapServers(),
                "--checkpoint.interval", "1 s",
                "--restart.delay", "500 ms",
                "--mysql.server-id", String.valueOf(serverId),
                "--parallelism", "1"));
        args.addAll(more);
        Settings settings = JobRunner.settings(job, args.toArray(new String[0]), Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobRunner.define(job, settings, env);
        return env.executeAsync("mapped-jobs-it " + s.name + " " + job.name());
    }

    private static List<String> paymentArgs(Shop s, Map<String, String> channelSettings) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        for (String t : PAYMENT_TOPICS) {
            topics.put(s.paymentTopic(t), 1);
            args.add("--kafka.topic." + t);
            args.add(s.paymentTopic(t));
        }
        SharedServers.kafka().createTopics(topics);
        channelSettings.forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        args.addAll(List.of(
                "--kafka.group-prefix", s.paymentTopic("group"),
                // Attempt 2 is due 22 s after the first: room to answer the first one, also on a
                // loaded machine (13 s once was not, with a soak running beside the build).
                "--requery.schedule", "3s,25s,27s",
                "--requery.answer-timeout", "3s",
                "--internal.timeout", "6s",
                "--internal.schedule", "10s",
                "--internal.give-up-after", "3s"));
        return args;
    }

    private static List<String> stockArgs(Shop s) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        for (String t : STOCK_TOPICS) {
            topics.put(s.stockTopic(t), 1);
            args.add("--kafka.topic." + t);
            args.add(s.stockTopic(t));
        }
        SharedServers.kafka().createTopics(topics);
        args.addAll(List.of("--redis.uri", SharedServers.redis().uri(), "--redis.key-prefix", s.redisPrefix()));
        return args;
    }

    private static List<String> searchArgs(Shop s) {
        String dlq = "mj-" + s.name + "-search.dlq";
        SharedServers.kafka().createTopics(Map.of(dlq, 1));
        return List.of(
                "--kafka.topic.dlq",
                dlq,
                "--elasticsearch.hosts",
                SharedServers.elasticsearch().httpUrl(),
                "--search.index",
                s.index(),
                "--search.bulk.flush-interval",
                "100 ms");
    }

    /**
     * Lets anything late (a duplicate, an extra attempt) arrive: a few seconds on one topic, then
     * whatever has come on each of the job's topics on every schema.
     */
    private void settle(String job, String[] roles) {
        reader(shops.get(0).paymentTopic("dlq")).drain(Duration.ofSeconds(4));
        for (Shop s : shops) {
            for (String role : roles) {
                reader(job.equals("payment") ? s.paymentTopic(role) : s.stockTopic(role))
                        .drain(Duration.ofMillis(300));
            }
        }
    }

    private TopicReader reader(String topic) {
        return readers.get(topic);
    }

    private void send(String topic, String key, String value) {
        producer.send(new ProducerRecord<>(
                topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String names(Set<Shop> set) {
        return set.stream().map(s -> s.name).sorted().toList().toString();
    }

    private static long seconds(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
    }

    static String sha256(String... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(d.digest(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }

    /** Wall-clock text of {@code t} in {@code zone}, with milliseconds. */
    static String wall(Instant t, ZoneId zone) {
        return "'" + LocalDateTime.ofInstant(t, zone).format(SQL_TIME) + "'";
    }

    // ---------------------------------------------------------------- the three schemas

    /** An order as the business knows it; {@code variant} picks among the codes a status has. */
    record Ord(
            long id,
            long user,
            String status,
            int variant,
            long totalFen,
            String address,
            Instant created,
            Instant updated) {
        String ip() {
            return "10.0." + (id % 200) + "." + (user % 200);
        }

        /** The submit hash the mall computes from member, amount and address: the others store it. */
        String hash() {
            return sha256(String.valueOf(user), yuan(totalFen), address);
        }
    }

    record Item(long id, long orderId, long sku, int quantity, long priceFen) {}

    record Pay(
            String id,
            long orderId,
            String channel,
            long amountFen,
            String status,
            int variant,
            String txn,
            Instant created,
            Instant updated) {}

    /** One schema holding the business events, and where its jobs write. */
    abstract static class Shop {
        final String name;

        Shop(String name) {
            this.name = name;
        }

        abstract String[] settingsArgs();

        abstract void sku(long sku, String title, int stock, String mode, Integer limit) throws Exception;

        /** The order and its items, in one transaction. */
        abstract void order(Ord o, Item... items) throws Exception;

        abstract void orderStatus(long orderId, String status, int variant, Instant updated) throws Exception;

        abstract void payment(Pay p) throws Exception;

        boolean hasClientIp() {
            return true;
        }

        String paymentTopic(String role) {
            return "mj-" + name + "-pay." + role;
        }

        String stockTopic(String role) {
            return "mj-" + name + "-stock." + role;
        }

        String redisPrefix() {
            return "mj-" + name + ":";
        }

        String index() {
            return "orders-mj-" + name;
        }

        /** Text with this schema's own names (topics) replaced by their roles. */
        String anonymous(String text) {
            return text.replace("mj-" + name + "-", "mj-{schema}-");
        }
    }

    /** The contract schema (docs/contract.md) in a database of its own. */
    static final class ContractShop extends Shop {
        private final ShopDb db;

        ContractShop(ShopDb db) {
            super("contract");
            this.db = db;
        }

        @Override
        String[] settingsArgs() {
            return db.settingsArgs();
        }

        @Override
        void sku(long sku, String title, int stock, String mode, Integer limit) throws Exception {
            db.exec("INSERT INTO inventory VALUES (" + sku + ", '" + title + "', " + stock + ", '" + mode + "', "
                    + limit + ", NOW(3))");
        }

        @Override
        void order(Ord o, Item... items) throws Exception {
            List<String> sql = new ArrayList<>();
            sql.add("INSERT INTO orders VALUES (" + o.id() + ", " + o.user() + ", '" + o.status() + "', "
                    + yuan(o.totalFen()) + ", '" + o.hash() + "', '" + o.ip() + "', "
                    + wall(o.created(), ZoneOffset.UTC)
                    + ", " + wall(o.updated(), ZoneOffset.UTC) + ")");
            for (Item i : items) {
                sql.add("INSERT INTO order_items VALUES (" + i.id() + ", " + i.orderId() + ", " + i.sku() + ", "
                        + i.quantity() + ", " + yuan(i.priceFen()) + ")");
            }
            db.exec(sql.toArray(new String[0]));
        }

        @Override
        void orderStatus(long orderId, String status, int variant, Instant updated) throws Exception {
            db.exec("UPDATE orders SET status = '" + status + "', updated_at = " + wall(updated, ZoneOffset.UTC)
                    + " WHERE order_id = " + orderId);
        }

        @Override
        void payment(Pay p) throws Exception {
            db.exec("INSERT INTO payments VALUES ('" + p.id() + "', " + p.orderId() + ", '" + p.channel() + "', "
                    + yuan(p.amountFen()) + ", '" + p.status() + "', "
                    + (p.txn() == null ? "NULL" : "'" + p.txn() + "'")
                    + ", " + wall(p.created(), ZoneOffset.UTC) + ", " + wall(p.updated(), ZoneOffset.UTC) + ")");
        }
    }

    /** The "mall" schema (mall-shop.sql, mall-paycenter.sql, mall.yaml): two servers, sharded pay orders. */
    static final class MallShop extends Shop {
        private final MallSchema mall;

        MallShop(MallSchema mall) {
            super("mall");
            this.mall = mall;
        }

        @Override
        String[] settingsArgs() {
            return mall.settingsArgs();
        }

        @Override
        boolean hasClientIp() {
            return false; // the mall keeps no client IP: unpaid-order risk per IP is off
        }

        @Override
        void sku(long sku, String title, int stock, String mode, Integer limit) throws Exception {
            // No deduct-mode or limit column: mall.yaml says ORDER, 502 PAYMENT, 501 at most 3 per user.
            assertThat(mode).isEqualTo(sku == 502 ? "PAYMENT" : "ORDER");
            assertThat(limit).isEqualTo(sku == 501 ? Integer.valueOf(3) : null);
            mall.execShop("INSERT INTO " + mall.pms + ".pms_sku_stock (id, product_id, sku_code, price, stock) VALUES ("
                    + sku + ", " + sku + ", '" + title + "', 1.00, " + stock + ")");
        }

        private static int code(String status, int variant) {
            return switch (status) {
                case "CREATED" -> 0;
                case "PAID" -> 1 + Math.floorMod(variant, 3); // to ship, shipped, completed
                case "CLOSED" -> 4;
                case "CANCELLED" -> 5;
                default -> throw new IllegalArgumentException(status);
            };
        }

        private static String datetime(Instant t) {
            assertThat(t.getNano())
                    .as("the mall's order times are whole seconds")
                    .isZero();
            return "'" + LocalDateTime.ofInstant(t, SHANGHAI).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                    + "'";
        }

        @Override
        void order(Ord o, Item... items) throws Exception {
            List<String> sql = new ArrayList<>();
            sql.add("INSERT INTO " + mall.oms
                    + ".oms_order (member_id, order_sn, create_time, total_amount, pay_amount,"
                    + " status, receiver_name, receiver_detail_address, modify_time) VALUES (" + o.user() + ", '"
                    + o.id()
                    + "', " + datetime(o.created()) + ", " + yuan(o.totalFen()) + ", " + yuan(o.totalFen()) + ", "
                    + code(o.status(), o.variant()) + ", 'Buyer " + o.user() + "', '" + o.address() + "', "
                    + datetime(o.updated()) + ")");
            for (Item i : items) {
                sql.add("INSERT INTO " + mall.oms + ".oms_order_item (id, order_sn, product_sku_id, product_price,"
                        + " product_quantity) VALUES (" + i.id() + ", '" + i.orderId() + "', " + i.sku() + ", "
                        + yuan(i.priceFen()) + ", " + i.quantity() + ")");
            }
            mall.execShop(sql.toArray(new String[0]));
        }

        @Override
        void orderStatus(long orderId, String status, int variant, Instant updated) throws Exception {
            mall.execShop("UPDATE " + mall.oms + ".oms_order SET status = " + code(status, variant) + ", modify_time = "
                    + datetime(updated) + " WHERE order_sn = '" + orderId + "'");
        }

        @Override
        void payment(Pay p) throws Exception {
            int state = switch (p.status()) {
                case "CREATED" -> 0;
                case "PAYING" -> 1;
                case "SUCCESS" -> 2;
                case "FAILED" -> 3;
                case "CLOSED" -> p.variant() % 2 == 0 ? 4 : 6;
                default -> throw new IllegalArgumentException(p.status());
            };
            String ifCode = switch (p.channel()) {
                case "WECHAT" -> "wxpay";
                case "ALIPAY" -> "alipay";
                default -> "ysfpay";
            };
            int shard = Math.floorMod(p.id().hashCode(), 4);
            mall.execPaycenter("INSERT INTO pay_" + shard / 2 + ".t_pay_order_" + shard % 2 + " VALUES ('" + p.id()
                    + "', '" + p.orderId() + "', '" + ifCode + "', " + p.amountFen() + ", " + state + ", "
                    + (p.txn() == null ? "NULL" : "'" + p.txn() + "'") + ", " + wall(p.created(), SHANGHAI) + ", "
                    + wall(p.updated(), SHANGHAI) + ")");
        }
    }

    /** The PHP-style shop (phpshop.sql, phpshop.yaml) on the shared server. */
    static final class PhpShop extends Shop {
        private final MariaDbServer server = SharedServers.mariaDb();
        private final Path mapping;

        PhpShop() throws Exception {
            super("php");
            server.runScript(MallSchema.resource("phpshop.sql"), "phpshop");
            mapping = ScratchDirectories.create("phpshop").resolve("phpshop.yaml");
            Files.writeString(mapping, MallSchema.resource("phpshop.yaml"));
        }

        @Override
        String[] settingsArgs() {
            return new String[] {
                "--mysql.hostname", server.host(),
                "--mysql.port", String.valueOf(server.port()),
                "--mysql.username", MariaDbServer.CDC_USER,
                "--mysql.password", server.cdcPassword(),
                "--mysql.mapping", mapping.toString()
            };
        }

        private void exec(String... sql) throws SQLException {
            try (Connection c = DriverManager.getConnection(
                    server.jdbcUrl("phpshop"), MariaDbServer.SHOP_USER, server.shopPassword())) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (String q : sql) {
                        s.execute(q);
                    }
                }
                c.commit();
            }
        }

        @Override
        void sku(long sku, String title, int stock, String mode, Integer limit) throws Exception {
            exec("INSERT INTO sp_goods_stock VALUES (" + sku + ", '" + title + "', " + stock + ", "
                    + (mode.equals("ORDER") ? 1 : 2) + ", " + limit + ", UNIX_TIMESTAMP())");
        }

        private static String state(String status, int variant) {
            return switch (status) {
                case "CREATED" -> "unpaid";
                case "PAID" -> new String[] {"paid", "shipped", "done"}[Math.floorMod(variant, 3)];
                case "CLOSED" -> "closed";
                case "CANCELLED" -> "cancelled";
                default -> throw new IllegalArgumentException(status);
            };
        }

        @Override
        void order(Ord o, Item... items) throws Exception {
            List<String> sql = new ArrayList<>();
            sql.add("INSERT INTO sp_order VALUES (" + o.id() + ", " + o.user() + ", '" + state(o.status(), o.variant())
                    + "', " + o.totalFen() + ", '" + o.hash() + "', '" + o.ip() + "', "
                    + o.created().getEpochSecond()
                    + ", " + wall(o.updated(), ZoneOffset.UTC) + ")");
            for (Item i : items) {
                sql.add("INSERT INTO sp_order_goods VALUES (" + i.id() + ", " + i.orderId() + ", " + i.sku() + ", "
                        + i.quantity() + ", " + i.priceFen() + ")");
            }
            exec(sql.toArray(new String[0]));
        }

        @Override
        void orderStatus(long orderId, String status, int variant, Instant updated) throws Exception {
            exec("UPDATE sp_order SET state = '" + state(status, variant) + "', mtime = "
                    + wall(updated, ZoneOffset.UTC) + " WHERE id = " + orderId);
        }

        @Override
        void payment(Pay p) throws Exception {
            String status = switch (p.status()) {
                case "CREATED" -> "wait";
                case "PAYING" -> "paying";
                case "SUCCESS" -> "success";
                case "FAILED" -> "fail";
                case "CLOSED" -> p.variant() % 2 == 0 ? "closed" : "refund";
                default -> throw new IllegalArgumentException(p.status());
            };
            String code = switch (p.channel()) {
                case "WECHAT" -> "weixin";
                case "ALIPAY" -> "alipay";
                default -> "unionpay";
            };
            exec("INSERT INTO sp_pay_log VALUES ('" + p.id() + "', " + p.orderId() + ", '" + code + "', "
                    + yuan(p.amountFen()) + ", '" + status + "', " + (p.txn() == null ? "NULL" : "'" + p.txn() + "'")
                    + ", " + wall(p.created(), BERLIN) + ", " + wall(p.updated(), BERLIN) + ")");
        }
    }
}
