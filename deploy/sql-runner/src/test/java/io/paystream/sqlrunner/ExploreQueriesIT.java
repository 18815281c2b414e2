package io.paystream.sqlrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.kafka.JsonRecordSerializer;
import io.paystream.servers.KafkaServer;
import io.paystream.servers.LocalServers;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.ScratchDirectories;
import io.paystream.servers.SharedServers;
import io.paystream.sqlrunner.Tableau.Table;
import io.paystream.state.contract.Alert;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.reconcile.ReconcileClass;
import io.paystream.state.reconcile.ReconcileFinding;
import io.paystream.state.reconcile.SummaryMismatch;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every script of sql/explore/ run the way a user runs it: the {@code deploy/sql-client} script
 * (Flink's own SQL client, catalog as init script, {@code -f} the query) against a real MariaDB
 * with binlog and a real Kafka, loaded with data whose answers are known. Kafka records of the
 * jobs' outputs are written with the jobs' own types and serializer, callbacks as the simulated
 * channels send them, so the catalog's columns are checked against what really arrives.
 */
class ExploreQueriesIT {
    static final Path EXPLORE = SqlClientProcess.ROOT.resolve("sql/explore");
    static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);

    // Callbacks at fixed times: two hours, 10:00 and 11:00 UTC, of a day in the past.
    static final Instant H10 = Instant.parse("2026-11-20T10:00:00Z");
    static final Instant H11 = Instant.parse("2026-11-20T11:00:00Z");

    static MariaDbServer db;
    static KafkaServer kafka;
    static Path endpoints;
    static Instant loadedAt;

    @BeforeAll
    static void startServersAndLoad() throws Exception {
        CompletableFuture<MariaDbServer> m = CompletableFuture.supplyAsync(SharedServers::mariaDb);
        kafka = SharedServers.kafka();
        db = m.join();
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (var topic : List.of(
                PaystreamOptions.TOPIC_CALLBACKS,
                PaystreamOptions.TOPIC_QUERY_RESULTS,
                PaystreamOptions.TOPIC_RESULTS,
                PaystreamOptions.TOPIC_REQUERY,
                PaystreamOptions.TOPIC_ALERTS,
                PaystreamOptions.TOPIC_ORDER_COMMANDS,
                PaystreamOptions.TOPIC_DLQ,
                PaystreamOptions.TOPIC_RECONCILIATION)) {
            topics.put(topic.defaultValue(), 2);
        }
        kafka.createTopics(topics);
        loadedAt = Instant.now();
        loadShop();
        loadCallbacks();
        loadRequeriesAndAlerts();
        loadReconciliation();

        // The endpoints file as deploy/sandbox --endpoints-file writes it. The explore scripts do not
        // touch Elasticsearch (Flink only writes to it): its entry only fills the catalog's placeholder.
        Map<String, String> e = new LinkedHashMap<>();
        e.put("mysql.jdbc-url", db.jdbcUrl());
        e.put("mysql.hostname", db.host());
        e.put("mysql.port", String.valueOf(db.port()));
        e.put("mysql.database", MariaDbServer.DATABASE);
        e.put("mysql.cdc-username", MariaDbServer.CDC_USER);
        e.put("mysql.cdc-password", db.cdcPassword());
        e.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        e.put("elasticsearch.url", "http://127.0.0.1:9");
        endpoints = ScratchDirectories.create("sql-client-it").resolve("endpoints.json");
        LocalServers.writeJson(endpoints, e);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void everyExploreScriptHasItsTestHere() throws IOException {
        try (Stream<Path> files = Files.list(EXPLORE)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "stuck-payments.sql",
                            "duplicate-callbacks.sql",
                            "stock-per-sku.sql",
                            "alerts-by-type.sql",
                            "open-discrepancies.sql");
        }
    }

    @Test
    void stuckPaymentsAreThosePayingLongerThanFiveMinutesWithTheirRequeriesAndAlert() throws Exception {
        // Paying for two minutes when the script starts: three minutes before it would count as stuck.
        shop(
                "INSERT INTO payments (payment_id, order_id, channel, amount, status, created_at, updated_at) VALUES "
                        + "('P-RECENT', 5, 'ALIPAY', 12.00, 'PAYING', CURRENT_TIMESTAMP(3) - INTERVAL 150 SECOND, CURRENT_TIMESTAMP(3) - INTERVAL 2 MINUTE)");
        Table t = runScript("stuck-payments.sql", endpointsArgs(), Map.of());
        assertThat(t.columns())
                .containsExactly(
                        "payment_id",
                        "order_id",
                        "channel",
                        "amount",
                        "paying_since",
                        "paying_for_s",
                        "requeries",
                        "lost_alert");
        // Oldest first; the one paying for two minutes, the paid and the failed one are not stuck.
        assertThat(t.column("payment_id")).containsExactly("P-STUCK-20", "P-STUCK-8");
        assertThat(t.rows().get(0)).containsSubsequence("P-STUCK-20", "9001", "UNIONPAY", "35.50");
        assertThat(t.column("requeries")).containsExactly("3", "0");
        assertThat(t.column("lost_alert")).containsExactly("TRUE", "FALSE");
        long elapsed = Duration.between(loadedAt, Instant.now()).toSeconds();
        assertThat(Long.parseLong(t.rows().get(0).get(5))).isBetween(20 * 60L, 20 * 60L + elapsed + 2);
        assertThat(Long.parseLong(t.rows().get(1).get(5))).isBetween(8 * 60L, 8 * 60L + elapsed + 2);
    }

    @Test
    void duplicateCallbacksPerChannelPerHourCountRepeatsOfEarlierReceipts() throws Exception {
        Table t = runScript("duplicate-callbacks.sql", endpointsArgs(), Map.of());
        assertThat(t.columns()).containsExactly("channel", "hour_utc", "received", "notifications", "duplicates");
        assertThat(t.rows())
                .containsExactly(
                        // WECHAT 10:00: W1 three times, W2 once; 11:00: W1 once more (a resend across the hour)
                        List.of("WECHAT", "2026-11-20 10:00", "4", "2", "2"),
                        List.of("ALIPAY", "2026-11-20 11:00", "2", "1", "1"),
                        List.of("WECHAT", "2026-11-20 11:00", "1", "1", "1"));
        // UNIONPAY sent one notification once: no duplicates, no row.
    }

    @Test
    void stockPerSkuFollowsTheLedgersDefinition() throws Exception {
        Table t = runScript("stock-per-sku.sql", endpointsArgs(), Map.of());
        assertThat(t.columns())
                .containsExactly("sku_id", "name", "mode", "total", "reserved", "sold", "available", "oversold");
        assertThat(t.rows())
                .containsExactly(
                        // reserved: order 1 (open, 3); sold: order 2 (PAID, 2); order 4 (CANCELLED, 4) released
                        List.of("1001", "tea", "ORDER", "10", "3", "2", "5", "0"),
                        // deduct on payment: order 5 (open) reserves nothing; sold: order 2 (1) and order 3 (a payment
                        // SUCCESS, 2)
                        List.of("1002", "cups", "PAYMENT", "2", "0", "3", "-1", "1"),
                        List.of("1003", "pot", "ORDER", "5", "0", "0", "5", "0"),
                        // ordered, no inventory row: deduct on order, no stock
                        List.of("1004", "<NULL>", "ORDER", "0", "1", "0", "-1", "0"));
    }

    @Test
    void openDiscrepanciesAreEachKeysLastFindingUnlessMatchedAndEachWrongTotalOnce() throws Exception {
        Table t = runScript("open-discrepancies.sql", endpointsArgs(), Map.of());
        assertThat(t.columns())
                .containsExactly("finding", "channel", "subject", "bill_date", "bill", "shop", "bill_line");
        assertThat(t.rows())
                .containsExactly(
                        List.of(
                                "AMOUNT_MISMATCH",
                                "WECHAT",
                                "payment P-R2",
                                "2026-11-20",
                                "50.00 SUCCESS",
                                "49.00 SUCCESS",
                                "WECHAT_2026-11-20.csv:3"),
                        List.of(
                                "CHANNEL_ONLY",
                                "WECHAT",
                                "refund R-R4 of P-R5",
                                "2026-11-20",
                                "1.00 REFUND/SUCCESS",
                                "no record",
                                "WECHAT_2026-11-20.csv:9"),
                        List.of(
                                "SUMMARY_MISMATCH",
                                "WECHAT",
                                "total paymentSettledFen",
                                "2026-11-20",
                                "states 10001",
                                "lines add up to 10000",
                                "WECHAT_2026-11-20.csv"),
                        // P-R1's CHANNEL_ONLY was resolved by a later MATCHED; P-R6 matched at once.
                        List.of(
                                "LOCAL_ONLY",
                                "ALIPAY",
                                "payment P-R3",
                                "<NULL>",
                                "not on the bill",
                                "8.00 SUCCESS",
                                ""));
    }

    @Test
    void alertsByTypeCountEachAlertOnceFromTheEnvironment() throws Exception {
        // Filled from PAYSTREAM_* variables this time, as for the jobs, not from an endpoints file.
        Map<String, String> env = Map.of(
                "PAYSTREAM_MYSQL_HOSTNAME",
                db.host(),
                "PAYSTREAM_MYSQL_PORT",
                String.valueOf(db.port()),
                "PAYSTREAM_MYSQL_DATABASE",
                MariaDbServer.DATABASE,
                "PAYSTREAM_MYSQL_USERNAME",
                MariaDbServer.CDC_USER,
                "PAYSTREAM_MYSQL_PASSWORD",
                db.cdcPassword(),
                "PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS",
                kafka.bootstrapServers(),
                "PAYSTREAM_ELASTICSEARCH_HOSTS",
                "http://127.0.0.1:9,http://127.0.0.1:10");
        Table t = runScript("alerts-by-type.sql", List.of(), env);
        assertThat(t.columns()).containsExactly("type", "alerts", "amount", "first_raised", "last_raised");
        assertThat(t.rows())
                .containsExactly(
                        List.of("OVERSOLD", "2", "47.00", "2026-11-20 10:10:00.000", "2026-11-20 10:40:00.000"),
                        List.of(
                                "DUPLICATE_SUBMISSION",
                                "1",
                                "120.00",
                                "2026-11-20 10:20:00.000",
                                "2026-11-20 10:20:00.000"),
                        List.of("FORGED_CALLBACK", "1", "<NULL>", "2026-11-20 10:30:00.000", "2026-11-20 10:30:00.000"),
                        List.of(
                                "LOST_PAYMENT_EXTERNAL",
                                "1",
                                "35.50",
                                "2026-11-20 10:50:00.000",
                                "2026-11-20 10:50:00.000"));
    }

    // ---------------------------------------------------------------------------------------------

    private static List<String> endpointsArgs() {
        return List.of("--endpoints", endpoints.toString());
    }

    /** Runs deploy/sql-client -f sql/explore/{script} and returns the one table it printed. */
    private static Table runScript(String script, List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(args);
        command.addAll(List.of("-f", "sql/explore/" + script));
        File out = Files.createTempFile(endpoints.getParent(), "sql-client-" + script, ".out")
                .toFile();
        ProcessBuilder pb =
                SqlClientProcess.builder(command, env, Path.of("target").toAbsolutePath(), out.toPath());
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(script + " did not end within " + SCRIPT_TIMEOUT + ":\n" + Files.readString(out.toPath()));
        }
        String output = Files.readString(out.toPath(), StandardCharsets.UTF_8);
        System.out.printf("%s ran in %d ms%n", script, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertThat(p.exitValue())
                .as("exit status of %s, output:\n%s", script, output)
                .isZero();
        assertThat(output).as("output of %s", script).doesNotContain("[ERROR]");
        assertThat(Files.readString(Path.of("target/sql-client.log")))
                .as("the client's log")
                .isNotEmpty()
                .doesNotContain(db.cdcPassword());
        List<Table> tables = Tableau.tables(output);
        assertThat(tables).as("result tables of %s in:\n%s", script, output).hasSize(1);
        return tables.get(0);
    }

    // ---------------------------------------------------------------------------------------------

    private static void loadShop() throws Exception {
        String now = "CURRENT_TIMESTAMP(3)";
        shop(
                "INSERT INTO inventory (sku_id, name, stock, deduct_mode, per_user_limit) VALUES "
                        + "(1001, 'tea', 10, 'ORDER', 5), (1002, 'cups', 2, 'PAYMENT', NULL), (1003, 'pot', 5, 'ORDER', NULL)",
                "INSERT INTO orders (order_id, user_id, status, total_amount, created_at, updated_at) VALUES "
                        + "(1, 10, 'CREATED', 30.00, " + now + ", " + now + "),"
                        + "(2, 11, 'PAID', 35.50, " + now + ", " + now + "),"
                        + "(3, 12, 'CREATED', 24.00, " + now + ", " + now + "),"
                        + "(4, 13, 'CANCELLED', 40.00, " + now + ", " + now + "),"
                        + "(5, 14, 'CREATED', 12.00, " + now + ", " + now + "),"
                        + "(6, 15, 'CREATED', 9.00, " + now + ", " + now + "),"
                        + "(9001, 16, 'CREATED', 35.50, " + now + ", " + now + ")",
                "INSERT INTO order_items (item_id, order_id, sku_id, quantity, unit_price) VALUES "
                        + "(11, 1, 1001, 3, 10.00), (21, 2, 1001, 2, 12.75), (22, 2, 1002, 1, 10.00), (31, 3, 1002, 2, 12.00),"
                        + "(41, 4, 1001, 4, 10.00), (51, 5, 1002, 1, 12.00), (61, 6, 1004, 1, 9.00),"
                        // a line whose order row never came: counts nowhere
                        + "(71, 777, 1001, 7, 10.00)",
                "INSERT INTO payments (payment_id, order_id, channel, amount, status, created_at, updated_at) VALUES "
                        + "('P-STUCK-20', 9001, 'UNIONPAY', 35.50, 'PAYING', " + now + " - INTERVAL 21 MINUTE, " + now
                        + " - INTERVAL 20 MINUTE),"
                        + "('P-STUCK-8', 1, 'WECHAT', 30.00, 'PAYING', " + now + " - INTERVAL 9 MINUTE, " + now
                        + " - INTERVAL 8 MINUTE),"
                        + "('P-PAID', 3, 'WECHAT', 24.00, 'SUCCESS', " + now + " - INTERVAL 30 MINUTE, " + now
                        + " - INTERVAL 29 MINUTE),"
                        + "('P-FAILED', 6, 'ALIPAY', 9.00, 'FAILED', " + now + " - INTERVAL 30 MINUTE, " + now
                        + " - INTERVAL 29 MINUTE)");
    }

    private static void shop(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), MariaDbServer.SHOP_USER, db.shopPassword());
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static void loadCallbacks() {
        SimulatedChannels channels = SimulatedChannels.generate();
        String wechatIp = SimulatedChannels.genuineAddress("WECHAT", 1);
        String alipayIp = SimulatedChannels.genuineAddress("ALIPAY", 1);
        String unionIp = SimulatedChannels.genuineAddress("UNIONPAY", 1);
        PaymentFacts paid = new PaymentFacts("P-PAID", "4200000001", 2400, "SUCCESS", H10.plusSeconds(60));
        CallbackEnvelope w1 = channels.wechat().notification(paid, H10.plusSeconds(5 * 60), wechatIp, Forgery.NONE);
        CallbackEnvelope w2 = channels.wechat()
                .notification(
                        new PaymentFacts("P-W2", "4200000002", 1000, "SUCCESS", H10.plusSeconds(600)),
                        H10.plusSeconds(15 * 60),
                        wechatIp,
                        Forgery.NONE);
        CallbackEnvelope a1 = channels.alipay()
                .notification(
                        new PaymentFacts("P-A1", "2026112022001", 1200, "SUCCESS", H11.plusSeconds(60)),
                        H11.plusSeconds(2 * 60),
                        alipayIp,
                        Forgery.NONE);
        CallbackEnvelope u1 = channels.unionpay()
                .notification(
                        new PaymentFacts("P-U1", "7001", 900, "SUCCESS", H11.plusSeconds(60)),
                        H11.plusSeconds(3 * 60),
                        unionIp,
                        Forgery.NONE);
        List<CallbackEnvelope> received = List.of(
                w1,
                w1.resent(wechatIp, H10.plusSeconds(20 * 60).toEpochMilli()),
                w1.resent(wechatIp, H10.plusSeconds(40 * 60).toEpochMilli()),
                w2,
                w1.resent(wechatIp, H11.plusSeconds(10 * 60).toEpochMilli()),
                a1,
                a1.resent(alipayIp, H11.plusSeconds(30 * 60).toEpochMilli()),
                u1);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (CallbackEnvelope cb : received) {
                producer.send(new ProducerRecord<>(
                        PaystreamOptions.TOPIC_CALLBACKS.defaultValue(),
                        cb.notifyId.getBytes(StandardCharsets.UTF_8),
                        cb.toJson().getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /** As the payments and stock-ledger jobs write them: their types, their serializer. */
    private static void loadRequeriesAndAlerts() throws Exception {
        long payingSince = queryEpochMillis("SELECT updated_at FROM payments WHERE payment_id = 'P-STUCK-20'");
        List<RequeryCommand> requeries = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            RequeryCommand c = new RequeryCommand();
            c.commandId = RequeryCommand.commandId("P-STUCK-20", payingSince, attempt);
            c.paymentId = "P-STUCK-20";
            c.orderId = 9001;
            c.channel = "UNIONPAY";
            c.attempt = attempt;
            c.maxAttempts = 3;
            c.payingSince = payingSince;
            c.dueAt = payingSince + attempt * 10_000L;
            c.emittedAt = c.dueAt + 3;
            requeries.add(c);
        }
        List<Alert> alerts = List.of(
                alert(Alert.OVERSOLD, "OVERSOLD:1002:3", null, 3L, 1002L, "24.00", "10:10"),
                alert(Alert.DUPLICATE_SUBMISSION, "DUPLICATE_SUBMISSION:5", null, 5L, null, "120.00", "10:20"),
                alert(Alert.FORGED_CALLBACK, "FORGED_CALLBACK:P-PAID:1", "P-PAID", 3L, null, null, "10:30"),
                alert(Alert.OVERSOLD, "OVERSOLD:1002:2", null, 2L, 1002L, "23.00", "10:40"),
                alert(
                        Alert.LOST_PAYMENT_EXTERNAL,
                        "LOST_PAYMENT_EXTERNAL:P-STUCK-20:" + payingSince,
                        "P-STUCK-20",
                        9001L,
                        null,
                        "35.50",
                        "10:50"));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(
                    producer,
                    new JsonRecordSerializer<RequeryCommand>(
                            PaystreamOptions.TOPIC_REQUERY.defaultValue(), c -> c.paymentId),
                    requeries);
            JsonRecordSerializer<Alert> alertSerializer =
                    new JsonRecordSerializer<>(PaystreamOptions.TOPIC_ALERTS.defaultValue(), a -> a.alertId);
            send(producer, alertSerializer, alerts);
            // A consumer may see an alert twice (read_uncommitted, a replay): same id, counted once.
            send(producer, alertSerializer, List.of(alerts.get(0)));
            // Something that is no alert at all does not stop the query.
            producer.send(new ProducerRecord<>(
                    PaystreamOptions.TOPIC_ALERTS.defaultValue(), "not json".getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** As the reconciliation job writes them: findings keyed by payment, a key's last one its word. */
    private static void loadReconciliation() throws Exception {
        List<ReconcileFinding> findings = List.of(
                finding("P-R1", null, "WECHAT", ReconcileClass.CHANNEL_ONLY, 2_000L, null, null, 2),
                finding("P-R2", null, "WECHAT", ReconcileClass.AMOUNT_MISMATCH, 5_000L, 4_900L, "SUCCESS", 3),
                finding("P-R3", null, "ALIPAY", ReconcileClass.LOCAL_ONLY, null, 800L, "SUCCESS", 0),
                finding("P-R5", "R-R4", "WECHAT", ReconcileClass.CHANNEL_ONLY, 100L, null, null, 9),
                finding("P-R6", null, "WECHAT", ReconcileClass.MATCHED, 300L, 300L, "SUCCESS", 4),
                finding("P-R1", null, "WECHAT", ReconcileClass.MATCHED, 2_000L, 2_000L, "SUCCESS", 2));
        SummaryMismatch m = new SummaryMismatch();
        m.id = "recon-summary:WECHAT:2026-11-20:paymentSettledFen";
        m.channel = io.paystream.state.shop.PaymentChannel.WECHAT;
        m.billDate = "2026-11-20";
        m.sourceFile = "WECHAT_2026-11-20.csv";
        m.figure = "paymentSettledFen";
        m.stated = 10_001L;
        m.computed = 10_000L;
        String topic = PaystreamOptions.TOPIC_RECONCILIATION.defaultValue();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, new JsonRecordSerializer<ReconcileFinding>(topic, f -> f.paymentId), findings);
            JsonRecordSerializer<SummaryMismatch> summaries = new JsonRecordSerializer<>(topic, s -> s.id);
            send(producer, summaries, List.of(m, m)); // the same bill read twice: one row
        }
    }

    private static ReconcileFinding finding(
            String paymentId,
            String refundId,
            String channel,
            ReconcileClass c,
            Long billFen,
            Long shopFen,
            String shopStatus,
            int line) {
        ReconcileFinding f = new ReconcileFinding();
        f.channel = io.paystream.state.shop.PaymentChannel.valueOf(channel);
        f.kind = refundId == null
                ? io.paystream.state.reconcile.BillLineKind.PAYMENT
                : io.paystream.state.reconcile.BillLineKind.REFUND;
        f.paymentId = paymentId;
        f.refundId = refundId;
        f.findingClass = c;
        f.id = "recon:" + channel + ":" + f.kind + ":" + (refundId == null ? paymentId : refundId) + ":" + c;
        f.billAmountFen = billFen;
        f.shopAmountFen = shopFen;
        f.shopStatus = shopStatus == null ? null : io.paystream.state.reconcile.ShopStatus.valueOf(shopStatus);
        if (billFen != null) {
            f.billDate = "2026-11-20";
            f.billStatus = refundId == null ? "SUCCESS" : "REFUND/SUCCESS";
            f.sourceFile = "WECHAT_2026-11-20.csv";
            f.lineNumber = line;
        }
        return f;
    }

    private static Alert alert(
            String type, String id, String paymentId, Long orderId, Long skuId, String amount, String hhmm) {
        Alert a = new Alert();
        a.alertId = id;
        a.type = type;
        a.paymentId = paymentId;
        a.orderId = orderId;
        a.skuId = skuId;
        a.amount = amount;
        a.reason = type + " in a test";
        a.raisedAt = Instant.parse("2026-11-20T" + hhmm + ":00Z").toEpochMilli();
        return a;
    }

    private static <T> void send(
            KafkaProducer<byte[], byte[]> producer, KafkaRecordSerializationSchema<T> serializer, List<T> records) {
        for (T r : records) {
            producer.send(serializer.serialize(r, null, null));
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static long queryEpochMillis(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), MariaDbServer.SHOP_USER, db.shopPassword());
                Statement s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            // the session runs in UTC (--default-time-zone=+00:00): read the wall-clock value as UTC
            LocalDateTime t = rs.getObject(1, LocalDateTime.class);
            return t.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
    }
}
