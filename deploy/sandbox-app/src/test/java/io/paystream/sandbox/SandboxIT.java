package io.paystream.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.servers.ScratchDirectories;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * deploy/sandbox as a newcomer runs it: it starts, shows traffic, answers on its endpoints, its
 * shop refuses what paystream's Redis keys say it must (no deduct-on-order SKU oversold), and Ctrl-C
 * stops it leaving no server behind; and on a shop's own schema (docs/examples/mall), where the jobs'
 * outputs come from rows inserted into the mapped tables.
 */
class SandboxIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ORDERS = Pattern.compile("traffic: orders (\\d+)");
    private static final Pattern EDGES =
            Pattern.compile("gateway: published (\\d+), failed \\d+, in flight \\d+ \\| query worker: answers (\\d+)");
    private static final Pattern REFUSED =
            Pattern.compile("\\[\\s*(\\d+)s] traffic: .* refused: out of stock (\\d+), duplicate (\\d+),");
    private static final Pattern ELAPSED = Pattern.compile("^\\[\\s*(\\d+)s] traffic:");
    private static final Pattern REFUNDS =
            Pattern.compile("\\| refunds (\\d+) \\(notification lost \\d+\\), refund outcomes applied (\\d+)");
    private static final Pattern BILLS = Pattern.compile("^\\s+bills: written (\\d+)");

    @Test
    void startsShowsTrafficAndStopsOnCtrlCLeavingNoProcessBehind() throws Exception {
        Path root = Path.of("../..").toAbsolutePath().normalize();
        Path work = ScratchDirectories.create("sandbox-it");
        Path endpointsFile = work.resolve("endpoints.json");
        ProcessBuilder pb = new ProcessBuilder(
                        root.resolve("deploy/sandbox").toString(),
                        "--work-dir",
                        work.resolve("sandbox").toString(),
                        "--endpoints-file",
                        endpointsFile.toString(),
                        "--flink-port",
                        "0",
                        "--status-every",
                        "2",
                        "--rate",
                        "10",
                        // Five SKUs: the scarce deduct-on-order one (1001, under 150 units) runs out
                        // within a minute. No shopper bypasses the front end here, so every
                        // deduct-on-order order was checked; many repeat submissions, so some are refused.
                        "--set",
                        "traffic.skus=5",
                        "--set",
                        "traffic.bypassChecks=0",
                        "--set",
                        "traffic.duplicateSubmission=0.2",
                        // Bill days of 30 s: days 0 and 1 are written (63 s in) while the checks
                        // above run, so the bills cost this test no time.
                        "--bill-day",
                        "30",
                        "--bill-delay",
                        "3",
                        // The reconciliation job publishes a discrepancy 20 s after it is read
                        // unless the shop's row settles it (the sandbox's default is a minute).
                        "--set",
                        "reconcile.shop-wait=20s")
                .redirectErrorStream(true);
        pb.environment().put("PAYSTREAM_SANDBOX_NO_BUILD", "1"); // the reactor build just made it
        Process sandbox = pb.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            awaitLine(output, sandbox, Duration.ofMinutes(4), "traffic", line -> {
                Matcher m = ORDERS.matcher(line);
                return m.find() && Long.parseLong(m.group(1)) > 0;
            });

            // Every job's status shows its binlog lag, read from the running job (a number, never "n/a").
            for (String job : List.of("payments", "stock-ledger", "order-search")) {
                Pattern lag = Pattern.compile("^\\s+" + Pattern.quote(job) + "\\s+RUNNING\\s.*binlogLagMs=\\d+");
                awaitLine(
                        output,
                        sandbox,
                        Duration.ofMinutes(2),
                        job + "'s binlog lag",
                        line -> lag.matcher(line).find());
            }

            JsonNode endpoints = JSON.readTree(endpointsFile.toFile());
            for (String key : List.of(
                    "mysql.jdbc-url",
                    "kafka.bootstrap-servers",
                    "elasticsearch.url",
                    "redis.uri",
                    "flink.web-ui",
                    "gateway.url")) {
                assertThat(endpoints.path(key).asText()).as(key).isNotEmpty();
            }
            assertThat(String.join("\n", output))
                    .contains("Flink web UI")
                    .contains("Kafka bootstrap")
                    .contains("Redis");
            HttpClient http = HttpClient.newHttpClient();
            String overview = http.send(
                            HttpRequest.newBuilder(URI.create(
                                            endpoints.get("flink.web-ui").asText() + "/overview"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(overview).contains("flink-version");
            String es = http.send(
                            HttpRequest.newBuilder(URI.create(
                                            endpoints.get("elasticsearch.url").asText()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(es).contains("\"number\" : \"7.10.2\"");

            List<InetSocketAddress> ports = new ArrayList<>();
            ports.add(new InetSocketAddress(
                    "127.0.0.1", endpoints.get("mysql.port").asInt()));
            ports.add(new InetSocketAddress(
                    "127.0.0.1", URI.create(endpoints.get("redis.uri").asText()).getPort()));
            ports.add(new InetSocketAddress(
                    "127.0.0.1",
                    URI.create(endpoints.get("flink.web-ui").asText()).getPort()));
            ports.add(new InetSocketAddress(
                    "127.0.0.1",
                    URI.create(endpoints.get("gateway.url").asText()).getPort()));
            for (InetSocketAddress a : ports) {
                assertThat(listening(a)).as("listening on " + a).isTrue();
            }
            // Nothing but the sandbox's own lines before its first one (no SLF4J warnings, no raw
            // terminal codes), and the single node's order index green (no replica it cannot place).
            assertThat(output.get(0)).startsWith("sandbox: ");
            assertThat(output).noneMatch(l -> l.startsWith("SLF4J") || l.indexOf('\u001b') >= 0);
            String health = http.send(
                            HttpRequest.newBuilder(URI.create(
                                            endpoints.get("elasticsearch.url").asText() + "/_cluster/health/orders"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(JSON.readTree(health).path("status").asText()).as(health).isEqualTo("green");

            // The front end refuses: the scarce SKU runs out, repeats find their submission key.
            String refusing = awaitLine(output, sandbox, Duration.ofMinutes(4), "refused orders", line -> {
                Matcher m = REFUSED.matcher(line);
                return m.find() && Long.parseLong(m.group(2)) > 0 && Long.parseLong(m.group(3)) > 0;
            });
            Matcher refused = REFUSED.matcher(refusing);
            assertThat(refused.find()).isTrue();
            // Payments of the orders placed up to then settle within seconds: look 20 s later.
            long settledAt = Long.parseLong(refused.group(1)) + 20;
            awaitLine(output, sandbox, Duration.ofMinutes(2), "a status line 20 s later", line -> {
                Matcher m = ELAPSED.matcher(line);
                return m.find() && Long.parseLong(m.group(1)) >= settledAt;
            });
            List<String> deductOnOrder = new ArrayList<>();
            try (Jedis redis = new Jedis(URI.create(endpoints.get("redis.uri").asText()))) {
                for (String key : redis.keys("stock:*")) {
                    Map<String, String> sku = redis.hgetAll(key);
                    if ("ORDER".equals(sku.get("mode"))) {
                        deductOnOrder.add(key);
                        assertThat(Long.parseLong(sku.get("oversold")))
                                .as(key + " " + sku + ", output:\n" + String.join("\n", output))
                                .isZero();
                    }
                }
            }
            assertThat(deductOnOrder).as("deduct-on-order SKUs in Redis").hasSize(3);

            // The channels' edges work over their protocols: notifications through the callback
            // gateway (its own process), re-queries answered by the query worker.
            String edges =
                    awaitLine(output, sandbox, Duration.ofMinutes(1), "the gateway's and worker's counters", l -> {
                        Matcher m = EDGES.matcher(l);
                        return m.find() && Long.parseLong(m.group(1)) > 0 && Long.parseLong(m.group(2)) > 0;
                    });
            Matcher m = EDGES.matcher(edges);
            assertThat(m.find()).isTrue();
            assertThat(Long.parseLong(m.group(1)))
                    .as("published by the gateway: " + edges)
                    .isPositive();
            assertThat(Long.parseLong(m.group(2)))
                    .as("answered by the query worker: " + edges)
                    .isPositive();
            // With no fault injected every delivery is answered: a request the gateway drops
            // unanswered (as every Alipay and UnionPay one did once, a class missing from its jar)
            // shows as "no answer" on the status line.
            assertThat(edges).as("deliveries the gateway left unanswered").doesNotContain("no answer");

            // Refunds flow: the shop refunds some paid payments, the channels notify the outcomes
            // (resent until acknowledged), paystream publishes each once on refund.results and the
            // payment center applies it to the refund row.
            String refunds = awaitLine(output, sandbox, Duration.ofMinutes(3), "an applied refund outcome", l -> {
                Matcher r = REFUNDS.matcher(l);
                return r.find() && Long.parseLong(r.group(2)) > 0;
            });
            Matcher applied = REFUNDS.matcher(refunds);
            assertThat(applied.find()).isTrue();
            List<JsonNode> outcomes = readCommitted(
                    endpoints.get("kafka.bootstrap-servers").asText(),
                    endpoints.get("kafka.topic.refund-results").asText(),
                    Long.parseLong(applied.group(2)));
            assertThat(outcomes)
                    .as("refund.results holds at least the applied outcomes (%s)", refunds)
                    .hasSizeGreaterThanOrEqualTo((int) Long.parseLong(applied.group(2)));
            List<String> outcomeIds = new ArrayList<>();
            List<String> refundIds = new ArrayList<>();
            for (JsonNode o : outcomes) {
                outcomeIds.add(o.path("outcomeId").asText());
                refundIds.add(o.path("refundId").asText());
                assertThat(o.path("status").asText()).as(o.toString()).isIn("SUCCESS", "FAILED", "CLOSED");
            }
            assertThat(outcomeIds).as("no refund outcome published twice").doesNotHaveDuplicates();
            assertThat(refundIds)
                    .as("one outcome per refund (the channels tell each refund one outcome)")
                    .doesNotHaveDuplicates();
            checkBills(output, sandbox, endpoints);
            checkReconciliation(endpoints);

            // The latest status lines, in the failsafe report: what a user sees of refunds.
            System.out.println(String.join("\n", output.subList(Math.max(0, output.size() - 8), output.size())));

            // Ctrl-C
            new ProcessBuilder("kill", "-INT", String.valueOf(sandbox.pid()))
                    .start()
                    .waitFor();
            assertThat(sandbox.waitFor(90, TimeUnit.SECONDS))
                    .as("sandbox exits after Ctrl-C")
                    .isTrue();
            reader.join(30_000);
            assertThat(output)
                    .as("exit " + sandbox.exitValue() + ", output:\n" + String.join("\n", output))
                    .contains("sandbox: stopped");
            for (InetSocketAddress a : ports) {
                assertThat(listening(a)).as("nothing left listening on " + a).isFalse();
            }
            assertThat(processesMentioning(work.toString()))
                    .as("no process left behind")
                    .isEmpty();
        } finally {
            if (sandbox.isAlive()) {
                sandbox.destroyForcibly();
            }
        }
    }

    /**
     * {@code deploy/sandbox --no-traffic --schema mall-shop.sql --schema mall-paycenter.sql --mapping
     * mall.yaml}: the payment center on a second local MariaDB, what is on and off printed, and real
     * outputs from rows of the mapped tables: a re-query command for a pay order stuck in PAYING
     * (in a shard on the second server) and the search document of an order.
     */
    @Test
    void runsEveryJobOnAShopsOwnSchemaFromItsDumpAndMapping() throws Exception {
        Path root = Path.of("../..").toAbsolutePath().normalize();
        Path examples = root.resolve("docs/examples/mall");
        Path work = ScratchDirectories.create("sandbox-mapped-it");
        Path endpointsFile = work.resolve("endpoints.json");
        ProcessBuilder pb = new ProcessBuilder(
                        root.resolve("deploy/sandbox").toString(),
                        "--work-dir",
                        work.resolve("sandbox").toString(),
                        "--endpoints-file",
                        endpointsFile.toString(),
                        "--flink-port",
                        "0",
                        "--status-every",
                        "10",
                        "--no-traffic",
                        "--schema",
                        examples.resolve("mall-shop.sql").toString(),
                        "--schema",
                        examples.resolve("mall-paycenter.sql").toString(),
                        "--mapping",
                        examples.resolve("mall.yaml").toString())
                .redirectErrorStream(true);
        pb.environment().put("PAYSTREAM_SANDBOX_NO_BUILD", "1"); // the reactor build just made it
        Process sandbox = pb.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            awaitLine(
                    output, sandbox, Duration.ofMinutes(4), "the sandbox ready", l -> l.contains("sandbox: ready in"));
            assertThat(String.join("\n", output))
                    .contains("schema " + examples.resolve("mall-shop.sql") + ": ")
                    .contains("databases pay_0, pay_1 on MariaDB paycenter (127.0.0.1:")
                    .contains("server paycenter: paycenter-db.internal:3306 in the mapping, here MariaDB paycenter")
                    .contains("duplicate submissions: on (SHA-256 of oms_order.(member_id, pay_amount,"
                            + " receiver_detail_address))")
                    .contains("unpaid-order risk per client IP: off (orders maps no client-ip)")
                    .contains("payments: paycenter/~pay_[0-9]+.~t_pay_order_[0-9]+ -> pay_0.t_pay_order_0,"
                            + " pay_0.t_pay_order_1, pay_1.t_pay_order_0, pay_1.t_pay_order_1")
                    .contains("ok: every job can start on this mapping")
                    .contains("mapping        " + examples.resolve("mall.yaml"));
            JsonNode endpoints = JSON.readTree(endpointsFile.toFile());
            assertThat(endpoints.path("mysql.mapping").asText())
                    .isEqualTo(examples.resolve("mall.yaml").toString());
            int shopPort = endpoints.get("mysql.port").asInt();
            int paycenterPort = endpoints.get("mysql.server.paycenter.port").asInt();
            assertThat(endpoints.get("mysql.server.shop.port").asInt()).isEqualTo(shopPort);
            assertThat(paycenterPort).isNotEqualTo(shopPort);

            String user = endpoints.get("mysql.shop-username").asText();
            String password = endpoints.get("mysql.shop-password").asText();
            try (Connection shop = DriverManager.getConnection(
                            "jdbc:mysql://127.0.0.1:" + shopPort + "/mall_oms?useSSL=false", user, password);
                    Statement s = shop.createStatement()) {
                s.execute("INSERT INTO oms_order (id, member_id, order_sn, create_time, total_amount, pay_amount,"
                        + " status, receiver_name, receiver_detail_address, modify_time) VALUES (1, 100,"
                        + " '202612010000123', '2026-11-27 10:00:00', 12.34, 12.34, 0, 'Li Lei', 'No. 1 Road',"
                        + " '2026-11-27 10:00:00')");
            }
            try (Connection paycenter = DriverManager.getConnection(
                            "jdbc:mysql://127.0.0.1:" + paycenterPort + "/pay_1?useSSL=false", user, password);
                    Statement s = paycenter.createStatement()) {
                // PAYING (state 1) since five minutes ago, Shanghai time: its first re-query is due
                s.execute("INSERT INTO t_pay_order_0 VALUES ('P-1', '202612010000123', 'wxpay', 1234, 1, NULL,"
                        + " CONVERT_TZ(NOW(3), '+00:00', '+08:00') - INTERVAL 5 MINUTE,"
                        + " CONVERT_TZ(NOW(3), '+00:00', '+08:00') - INTERVAL 5 MINUTE)");
            }

            Properties props = new Properties();
            props.put(
                    "bootstrap.servers",
                    endpoints.get("kafka.bootstrap-servers").asText());
            props.put("group.id", "sandbox-mapped-it");
            props.put("auto.offset.reset", "earliest");
            props.put("key.deserializer", StringDeserializer.class.getName());
            props.put("value.deserializer", StringDeserializer.class.getName());
            JsonNode requery = null;
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                consumer.subscribe(List.of(endpoints.get("kafka.topic.requery").asText()));
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (requery == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                        if ("P-1".equals(r.key())) {
                            requery = JSON.readTree(r.value());
                        }
                    }
                }
            }
            assertThat(requery)
                    .as("a re-query command for P-1 on the requery topic; output:\n" + String.join("\n", output))
                    .isNotNull();
            assertThat(requery.get("orderId").asLong()).isEqualTo(202612010000123L);
            assertThat(requery.get("channel").asText()).isEqualTo("WECHAT");

            HttpClient http = HttpClient.newHttpClient();
            URI doc = URI.create(endpoints.get("elasticsearch.url").asText() + "/orders/_doc/202612010000123");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            String body = "";
            while (!body.contains("\"found\":true") && System.nanoTime() < deadline) {
                body = http.send(HttpRequest.newBuilder(doc).build(), HttpResponse.BodyHandlers.ofString())
                        .body();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
            assertThat(body).as("the order's search document").contains("\"found\":true");

            new ProcessBuilder("kill", "-INT", String.valueOf(sandbox.pid()))
                    .start()
                    .waitFor();
            assertThat(sandbox.waitFor(90, TimeUnit.SECONDS))
                    .as("sandbox exits after Ctrl-C")
                    .isTrue();
            reader.join(30_000);
            assertThat(output).contains("sandbox: stopped");
            System.out.println(String.join("\n", output)); // what a user sees, in the failsafe report
            assertThat(listening(new InetSocketAddress("127.0.0.1", paycenterPort)))
                    .as("the second MariaDB stopped too")
                    .isFalse();
        } finally {
            if (sandbox.isAlive()) {
                sandbox.destroyForcibly();
            }
        }
    }

    /**
     * The simulated channels' bills of the first two bill days: WeChat Pay's and Alipay's, every line
     * read by the real parsers (none rejected), and each discrepancy the sandbox says it injected is
     * in its bill as said: an id the shop never issued, an amount or a status changed, a line left
     * off, a wrong total; each class at least once per channel.
     */
    private static void checkBills(List<String> output, Process sandbox, JsonNode endpoints) throws Exception {
        awaitLine(output, sandbox, Duration.ofMinutes(2), "the bills of two bill days", l -> {
            Matcher b = BILLS.matcher(l);
            return b.find() && Long.parseLong(b.group(1)) >= 4;
        });
        assertThat(endpoints.path("reconcile.calendar.day-length").asText()).isEqualTo("30s");
        java.time.Instant firstDayStart = java.time.Instant.parse(
                endpoints.path("reconcile.calendar.first-day-start").asText());
        Path dir = Path.of(endpoints.path("reconcile.bills-dir").asText());
        JsonNode manifest = JSON.readTree(
                Path.of(endpoints.path("reconcile.injected-file").asText()).toFile());
        assertThat(manifest.path("reconcile.calendar.first-day-start").asText()).isEqualTo(firstDayStart.toString());

        java.util.Map<String, io.paystream.functions.reconcile.ParsedBill> parsed = new java.util.HashMap<>();
        java.util.Set<String> channels = new java.util.HashSet<>();
        for (JsonNode bill : manifest.path("bills")) {
            String file = bill.path("file").asText();
            String date = bill.path("date").asText();
            assertThat(date)
                    .isEqualTo(java.time.LocalDate.ofInstant(firstDayStart, java.time.ZoneOffset.ofHours(8))
                            .plusDays(bill.path("day").asLong())
                            .toString());
            io.paystream.functions.reconcile.ParsedBill p = new io.paystream.functions.reconcile.ParsedBill();
            try (java.io.InputStream in = Files.newInputStream(dir.resolve(file))) {
                if (file.startsWith("WECHAT_")) {
                    io.paystream.functions.reconcile.WechatTradeBillParser.parse(in, date, file, p);
                } else {
                    assertThat(file).startsWith("ALIPAY_").endsWith(".zip");
                    io.paystream.functions.reconcile.AlipayTradeBillParser.parse(in, date, file, p);
                }
            }
            assertThat(p.rejected).as(file + " rejected lines").isEmpty();
            assertThat(p.lines).as(file).hasSize(bill.path("lines").asInt());
            parsed.put(file, p);
            channels.add(bill.path("channel").asText());
        }
        assertThat(channels).containsExactlyInAnyOrder("WECHAT", "ALIPAY");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("no UnionPay bill, nothing half-written")
                    .allMatch(n -> n.startsWith(".")
                            || n.matches("(WECHAT_\\d{4}-\\d\\d-\\d\\d\\.csv|ALIPAY_\\d{4}-\\d\\d-\\d\\d\\.zip)"));
        }

        java.util.Map<String, java.util.Set<String>> kinds = new java.util.HashMap<>();
        for (JsonNode i : manifest.path("injected")) {
            String kind = i.path("kind").asText();
            String channel = i.path("channel").asText();
            kinds.computeIfAbsent(channel, c -> new java.util.HashSet<>()).add(kind);
            io.paystream.functions.reconcile.ParsedBill bill =
                    parsed.get(i.path("file").asText());
            assertThat(bill).as("the bill of " + i).isNotNull();
            String paymentId = i.path("paymentId").asText(null);
            List<io.paystream.state.reconcile.BillLine> lines = bill.lines.stream()
                    .filter(l -> l.refundId == null && l.paymentId.equals(paymentId))
                    .toList();
            switch (kind) {
                case "LOCAL_ONLY":
                    assertThat(lines).as(i.toString()).isEmpty();
                    break;
                case "CHANNEL_ONLY":
                case "AMOUNT_MISMATCH":
                case "STATUS_MISMATCH":
                    assertThat(lines).as(i.toString()).hasSize(1);
                    assertThat(i.path("expectedId").asText())
                            .isEqualTo("recon:" + channel + ":PAYMENT:" + paymentId + ":" + kind);
                    if (kind.equals("STATUS_MISMATCH") && channel.equals("WECHAT")) {
                        assertThat(lines.get(0).tradeStatus).as(i.toString()).isEqualTo("REVOKED");
                    }
                    break;
                case "SUMMARY_MISMATCH":
                    io.paystream.state.reconcile.BillTally tally = new io.paystream.state.reconcile.BillTally();
                    bill.lines.forEach(tally::add);
                    assertThat(io.paystream.functions.reconcile.SummaryCheck.check(
                                    io.paystream.state.shop.PaymentChannel.valueOf(channel),
                                    i.path("billDate").asText(),
                                    i.path("file").asText(),
                                    bill.summary,
                                    tally))
                            .extracting(m -> m.id)
                            .containsExactly(i.path("expectedId").asText());
                    break;
                default:
                    throw new AssertionError("unknown kind " + i);
            }
        }
        for (String channel : List.of("WECHAT", "ALIPAY")) {
            assertThat(kinds.get(channel))
                    .as(channel + "'s injected discrepancies: " + manifest.path("injected"))
                    .contains("CHANNEL_ONLY", "LOCAL_ONLY", "AMOUNT_MISMATCH", "STATUS_MISMATCH");
        }
        assertThat(kinds.get("WECHAT")).as("day 0's wrong total").contains("SUMMARY_MISMATCH");
    }

    /**
     * The reconciliation job (running in the sandbox on the simulated channels' bills) publishes
     * what the first bill day's bills say: each discrepancy the sandbox injected into a bill line or
     * a total, and matched payments of both channels, each finding once. (LOCAL_ONLY needs the bills
     * of three more days: ReconciliationIT and the harness tests cover it.)
     */
    private static void checkReconciliation(JsonNode endpoints) throws Exception {
        JsonNode manifest = JSON.readTree(
                Path.of(endpoints.path("reconcile.injected-file").asText()).toFile());
        List<String> expected = new ArrayList<>();
        for (JsonNode i : manifest.path("injected")) {
            if (i.path("day").asLong() == 0 && !i.path("kind").asText().equals("LOCAL_ONLY")) {
                expected.add(i.path("expectedId").asText());
            }
        }
        assertThat(expected).as("day 0's injected discrepancies").hasSizeGreaterThanOrEqualTo(6);
        String bootstrap = endpoints.get("kafka.bootstrap-servers").asText();
        String topic = endpoints.get("kafka.topic.reconciliation").asText();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        List<String> ids = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            ids.clear();
            for (JsonNode f : readCommitted(bootstrap, topic, 1)) {
                ids.add(f.path("id").asText());
            }
            if (ids.containsAll(expected)) {
                break;
            }
        }
        assertThat(ids)
                .as("payment.reconciliation holds every injected discrepancy")
                .containsAll(expected);
        assertThat(ids).as("each finding once").doesNotHaveDuplicates();
        for (String channel : List.of("WECHAT", "ALIPAY")) {
            assertThat(ids)
                    .as(channel + " payments matched")
                    .anyMatch(id -> id.startsWith("recon:" + channel + ":PAYMENT:") && id.endsWith(":MATCHED"));
        }
    }

    /**
     * The committed records of {@code topic}: read until at least {@code atLeast} arrived, then a few
     * seconds more (or until a minute passed).
     */
    private static List<JsonNode> readCommitted(String bootstrap, String topic, long atLeast) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "sandbox-it-" + topic + "-" + java.util.UUID.randomUUID()); // from the start, each time
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        List<JsonNode> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            long enoughAt = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, enoughAt)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                    values.add(JSON.readTree(r.value()));
                }
                if (values.size() >= atLeast && enoughAt == Long.MAX_VALUE) {
                    enoughAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // and what follows them
                }
            }
        }
        return values;
    }

    /** The first line of the output that matches, once there is one. */
    private static String awaitLine(
            List<String> output, Process p, Duration timeout, String what, Predicate<String> match) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : output) {
                if (match.test(line)) {
                    return line;
                }
            }
            if (!p.isAlive()) {
                throw new AssertionError("sandbox exited early:\n" + String.join("\n", output));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout + ":\n" + String.join("\n", output));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private static boolean listening(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String> processesMentioning(String text) throws Exception {
        List<String> found = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmd.contains(text)) {
                        found.add(p.getFileName() + ": " + cmd);
                    }
                } catch (Exception ignored) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }
}
