package io.paystream.jobs.upgrade;

import static io.paystream.jobs.upgrade.FixtureJobs.CALLBACKS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.functions.reconcile.LocalOnlyHold;
import io.paystream.jobs.runtime.JobMetrics;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.PaystreamJobs;
import io.paystream.jobs.testing.EsIndex;
import io.paystream.jobs.testing.Eventually;
import io.paystream.jobs.testing.TopicReader;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.SharedServers;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.reconcile.BillFiles;
import io.paystream.state.shop.PaymentChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The current code restores the savepoints the previous version took ({@code src/test/resources/
 * savepoints/}, see {@link SavepointFixtures}), with no state left unclaimed, and really uses what
 * it restored.
 *
 * <p>The CDC source's state is a binlog file and position of the server the fixture was taken on.
 * This test starts a fresh MariaDB and runs the same statements ({@link FixtureShop}), so that
 * position exists and is the same event boundary; it checks the binlog end against the manifest
 * before restoring. The rows get this run's times, not the fixture's: whatever a job reports with
 * the fixture's times came from its restored state, not from re-reading a row. The Kafka sources'
 * state is offsets in the two input topics: fresh topics are refilled up to the recorded offsets
 * (a restored offset beyond a partition's end would be reset to the earliest one, the sources'
 * reset strategy, and records sent after the restore could be read twice or skipped).
 *
 * <p>While the jobs were "down", the shop went on ({@link FixtureShop#afterRestore}) and a channel
 * resent an old callback. After the restore:
 * <ul>
 *   <li>payments: FIX-P1, PAYING in the fixture, gets its three re-queries and then
 *       LOST_PAYMENT_EXTERNAL, all stamped with the fixture's PAYING time; order 102 (paid, not
 *       PAID in the fixture) gets RENOTIFY_BUSINESS; the resent FIX-P2 callback is dropped as a
 *       duplicate (its outcome was published before the savepoint); a new payment's callback is
 *       published; no row is read twice;</li>
 *   <li>stock-ledger: the counts go on from the restored ones (SKU 7002's stock and sales came only
 *       from the fixture), and order 110's expiry, pending in the fixture, cancels it;</li>
 *   <li>order-search: order 120 turning PAID is indexed with the two items and the payment it had
 *       in the fixture; orders that did not change are not written again (no new snapshot);</li>
 *   <li>reconciliation: the bill lines of FIX-P4 and FIX-P113, waiting in the fixture, are MATCHED
 *       with their rows written after it; FIX-P111's hold, pending in the fixture, ends in
 *       LOCAL_ONLY when the next days' bills are read; nothing published before is again.</li>
 * </ul>
 */
class SavepointCompatibilityIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachJobRestoresThePreviousVersionsSavepointAndGoesOnFromItsState(@TempDir Path tmp) throws Exception {
        Properties manifest = FixtureJobs.load(FixtureJobs.FIXTURES.resolve(FixtureJobs.MANIFEST));
        long fixturePayingSince = Long.parseLong(manifest.getProperty("rows-at"));

        MariaDbServer mysql = FixtureJobs.freshMariaDb(tmp.resolve("mariadb"));
        Map<String, JobClient> jobs = new LinkedHashMap<>();
        try {
            long now = System.currentTimeMillis();
            FixtureShop.run(mysql, FixtureShop.beforeStart(now));
            FixtureShop.run(mysql, FixtureShop.afterStart(now));
            assertThat(FixtureShop.binlogEnd(mysql))
                    .as("the replayed binlog ends where the fixture's did")
                    .isEqualTo(manifest.getProperty("binlog.end"));
            // The upgrade: the new version reads refunds, which the shop creates now.
            mysql.createTables("refunds");
            FixtureShop.run(mysql, FixtureShop.afterRestore(now));

            LocalDate billDay = LocalDate.parse(manifest.getProperty(FixtureJobs.RECONCILIATION_BILL_DATE));
            Path bills = Files.createDirectories(tmp.resolve("bills"));
            FixtureJobs fixture = new FixtureJobs(
                    mysql,
                    "restored",
                    Files.createDirectories(tmp.resolve("keys")),
                    bills,
                    billDay,
                    "--requery.answer-timeout",
                    "2 s");
            refillInputTopics(manifest);
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                // The channel resends FIX-P2's success (already published before the savepoint), and
                // tells of FIX-P4, a payment the restored job reads from the binlog.
                send(
                        producer,
                        callback(
                                fixture.channels,
                                "ALIPAY",
                                new PaymentFacts(
                                        FixtureShop.SETTLED,
                                        "FIX-TXN-2",
                                        FixtureShop.SETTLED_CENTS,
                                        "SUCCESS",
                                        Instant.now())));
                send(
                        producer,
                        callback(
                                fixture.channels,
                                "WECHAT",
                                new PaymentFacts("FIX-P4", "FIX-TXN-4", 6_600, "SUCCESS", Instant.now())));
            }

            // Every job has a fixture, but those named as not having one yet; and those have none.
            try (var dirs = Files.list(FixtureJobs.FIXTURES)) {
                assertThat(dirs.filter(Files::isDirectory)
                                .map(d -> d.getFileName().toString()))
                        .containsExactlyInAnyOrderElementsOf(FixtureJobs.withFixtures().stream()
                                .map(PaystreamJob::name)
                                .toList());
            }
            for (PaystreamJob<?, ?> job : FixtureJobs.withFixtures()) {
                jobs.put(job.name(), fixture.start(job, copyOfFixture(job, tmp)));
            }
            paymentsGoOnFromTheirState(fixture, fixturePayingSince);
            refundsOfTheNewTableAreWatched(fixture, mysql);
            stockCountsGoOnFromTheirState(fixture);
            orderDocumentsKeepTheirItems(fixture);
            billLinesAndHeldPaymentsGoOnFromTheirState(fixture, bills, billDay);
        } finally {
            for (JobClient j : jobs.values()) {
                j.cancel().get();
            }
            mysql.close();
        }
    }

    private static void paymentsGoOnFromTheirState(FixtureJobs fixture, long fixturePayingSince) throws Exception {
        String job = FixtureJobs.jobName(PaystreamJobs.named("payments"));
        try (TopicReader requeries = new TopicReader(fixture.topic("requery"));
                TopicReader alerts = new TopicReader(fixture.topic("alerts"));
                TopicReader orderCommands = new TopicReader(fixture.topic("order-commands"));
                TopicReader results = new TopicReader(fixture.topic("results"))) {
            List<JsonNode> sent =
                    json(requeries.awaitValues(3, WAIT, v -> v.contains("\"" + FixtureShop.PAYING + "\"")).stream()
                            .filter(v -> v.contains("\"" + FixtureShop.PAYING + "\""))
                            .toList());
            assertThat(sent).extracting(c -> c.get("attempt").asInt()).containsExactly(1, 2, 3);
            for (JsonNode c : sent) {
                assertThat(c.get("orderId").asLong()).isEqualTo(FixtureShop.PAYING_ORDER);
                assertThat(c.get("payingSince").asLong())
                        .as("PAYING time from the restored state")
                        .isEqualTo(fixturePayingSince);
                assertThat(c.get("commandId").asText())
                        .isEqualTo(RequeryCommand.commandId(
                                FixtureShop.PAYING,
                                fixturePayingSince,
                                c.get("attempt").asInt()));
            }
            alerts.awaitValues(
                    1, WAIT, v -> v.contains("LOST_PAYMENT_EXTERNAL:" + FixtureShop.PAYING + ":" + fixturePayingSince));
            orderCommands.awaitValues(
                    1,
                    WAIT,
                    v -> v.contains("RENOTIFY_BUSINESS") && v.contains("\"orderId\":" + FixtureShop.SETTLED_ORDER));
            results.awaitValues(1, WAIT, v -> v.contains("\"FIX-P4\"") && v.contains("\"orderId\":104"));
            Eventually.await(
                    "the resent FIX-P2 callback dropped as a duplicate",
                    WAIT,
                    () -> JobMetrics.value(job, "duplicatesDropped") == 1);
            assertThat(results.drain(Duration.ofSeconds(1)))
                    .as("FIX-P2's outcome is not published again")
                    .noneMatch(v -> v.contains("\"" + FixtureShop.SETTLED + "\""));
            assertThat(JobMetrics.value(job, "replaysIgnored"))
                    .as("payment rows read again after the restore")
                    .isZero();
        }
    }

    private static void stockCountsGoOnFromTheirState(FixtureJobs fixture) throws Exception {
        Eventually.await("SKU 7001: order 110 expired, order 112 holding 5, order 120's 1 sold", WAIT, () -> {
            Map<String, String> s = SavepointFixtures.stock(fixture, FixtureShop.SKU_ON_ORDER);
            return "100".equals(s.get("total"))
                    && "5".equals(s.get("reserved"))
                    && "1".equals(s.get("sold"))
                    && "94".equals(s.get("available"));
        });
        Eventually.await("SKU 7002: 4 sold in the fixture, 1 more after", WAIT, () -> {
            Map<String, String> s = SavepointFixtures.stock(fixture, FixtureShop.SKU_ON_PAYMENT);
            return "10".equals(s.get("total")) && "5".equals(s.get("sold")) && "5".equals(s.get("available"));
        });
        try (TopicReader orderCommands = new TopicReader(fixture.topic("order-commands"))) {
            orderCommands.awaitValues(
                    1, WAIT, v -> v.contains("CANCEL_UNPAID") && v.contains("\"orderId\":" + FixtureShop.UNPAID_ORDER));
        }
    }

    private static void orderDocumentsKeepTheirItems(FixtureJobs fixture) throws Exception {
        try (EsIndex index = new EsIndex(SharedServers.elasticsearch().httpUrl(), fixture.index())) {
            Eventually.await("order 120 indexed as PAID", WAIT, () -> {
                JsonNode d = SavepointFixtures.document(index, FixtureShop.SEARCH_ORDER);
                return d != null && "PAID".equals(d.path("status").asText());
            });
            JsonNode d = SavepointFixtures.document(index, FixtureShop.SEARCH_ORDER);
            assertThat(d.path("items").findValuesAsText("itemId"))
                    .as("items from the restored state")
                    .containsExactly("1201", "1202");
            assertThat(d.path("payments").findValuesAsText("paymentId")).containsExactly("FIX-P120");
            Eventually.await(
                    "the orders changed after the restore indexed",
                    WAIT,
                    () -> index.all().keySet().size() == 4);
            assertThat(index.all().keySet())
                    .as("only orders that changed after the restore are written")
                    .containsExactly(104L, 112L, 113L, 120L);
        }
    }

    /**
     * reconciliation: the bill lines that waited in the fixture for FIX-P4 and FIX-P113 meet the
     * rows the shop wrote while the job was down: MATCHED, with the line of the fixture's bill, a
     * file the restored job never reads. FIX-P111, a success no bill carried, held in the fixture,
     * is LOCAL_ONLY once the bills of its pending days are read. What was published before the
     * fixture (FIX-P120 and FIX-P2 MATCHED) is not published again.
     */
    private static void billLinesAndHeldPaymentsGoOnFromTheirState(FixtureJobs fixture, Path bills, LocalDate billDay)
            throws Exception {
        try (TopicReader findings = new TopicReader(fixture.topic("reconciliation"))) {
            List<JsonNode> matched = new ArrayList<>();
            for (String v : findings.awaitValues(2, WAIT, v -> v.contains("\"MATCHED\""))) {
                matched.add(JSON.readTree(v));
            }
            assertThat(matched)
                    .extracting(f -> f.get("paymentId").asText())
                    .containsExactlyInAnyOrder("FIX-P4", "FIX-P113");
            for (JsonNode f : matched) {
                assertThat(f.get("findingClass").asText()).isEqualTo("MATCHED");
                assertThat(f.get("billDate").asText())
                        .as("the bill line from the restored state")
                        .isEqualTo(billDay.toString());
                assertThat(f.get("sourceFile").asText()) // Alipay's: the zip, then '!' and its entry
                        .startsWith(BillFiles.name(
                                PaymentChannel.valueOf(f.get("channel").asText()), billDay));
            }
            for (int d = 1; d <= LocalOnlyHold.DEFAULT_PENDING_DAYS; d++) {
                FixtureJobs.writeBill(bills, PaymentChannel.WECHAT, billDay.plusDays(d), List.of());
                FixtureJobs.writeBill(bills, PaymentChannel.ALIPAY, billDay.plusDays(d), List.of());
            }
            findings.awaitValues(1, WAIT, v -> v.contains("\"LOCAL_ONLY\""));
            List<String> all = findings.drain(Duration.ofSeconds(2));
            assertThat(all)
                    .filteredOn(v -> v.contains("\"LOCAL_ONLY\""))
                    .singleElement()
                    .satisfies(v -> {
                        JsonNode f = JSON.readTree(v);
                        assertThat(f.get("paymentId").asText()).isEqualTo("FIX-P111");
                        assertThat(f.get("shopAmountFen").asLong()).isEqualTo(4_000);
                    });
            assertThat(all)
                    .as("published before the fixture, not again")
                    .noneMatch(v -> v.contains("\"FIX-P120\"") || v.contains("\"" + FixtureShop.SETTLED + "\""))
                    .as("only what the restored state and the rows after it say")
                    .hasSize(3);
        }
    }

    /** Refills the fresh input topics up to the offsets in the fixtures' Kafka sources. */
    private static void refillInputTopics(Properties manifest) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String key : manifest.stringPropertyNames()) {
                if (!key.startsWith("kafka.end.")) {
                    continue;
                }
                String topicPartition = key.substring("kafka.end.".length());
                int dot = topicPartition.lastIndexOf('.');
                String topic = topicPartition.substring(0, dot);
                int partition = Integer.parseInt(topicPartition.substring(dot + 1));
                for (long i = 0, end = Long.parseLong(manifest.getProperty(key)); i < end; i++) {
                    producer.send(new ProducerRecord<>(
                                    topic,
                                    partition,
                                    null,
                                    "before the savepoint (never read again)".getBytes(StandardCharsets.UTF_8)))
                            .get();
                }
            }
        }
    }

    private static String copyOfFixture(PaystreamJob<?, ?> job, Path tmp) throws Exception {
        Path from = FixtureJobs.FIXTURES.resolve(job.name());
        Path to = tmp.resolve("fixtures").resolve(job.name());
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
        return to.toUri().toString();
    }

    /**
     * The upgrade's new table: the payments job restored from a savepoint taken before it read
     * refunds reads the refunds table created at the upgrade, and watches its refunds.
     */
    private static void refundsOfTheNewTableAreWatched(FixtureJobs fixture, MariaDbServer mysql) throws Exception {
        FixtureShop.run(
                mysql,
                List.of("INSERT INTO refunds VALUES ('FIX-R1', 'FIX-P4', 104, 'WECHAT', 10.00, 'REFUNDING', NULL,"
                        + " NOW(3), NOW(3))"));
        try (TopicReader refunds = new TopicReader(fixture.topic("refund-results"));
                KafkaProducer<byte[], byte[]> producer = producer()) {
            send(
                    producer,
                    fixture.channels
                            .wechat()
                            .refundNotification(
                                    io.paystream.channels.RefundFacts.succeeded(
                                            "FIX-R1", "FIX-P4", "FIX-TXN-4", 1_000, 6_600, Instant.now()),
                                    Instant.now(),
                                    SimulatedChannels.genuineAddress("WECHAT", 1),
                                    Forgery.NONE));
            assertThat(json(refunds.awaitValues(1, WAIT, v -> v.contains("FIX-R1"))))
                    .singleElement()
                    .satisfies(o -> {
                        assertThat(o.get("status").asText()).isEqualTo("SUCCESS");
                        assertThat(o.get("amount").asText()).isEqualTo("10.00");
                        assertThat(o.get("paymentId").asText()).isEqualTo("FIX-P4");
                    });
        }
    }

    private static CallbackEnvelope callback(SimulatedChannels ch, String channel, PaymentFacts facts) {
        Instant now = Instant.now();
        return channel.equals("ALIPAY")
                ? ch.alipay().notification(facts, now, SimulatedChannels.genuineAddress("ALIPAY", 1), Forgery.NONE)
                : ch.wechat().notification(facts, now, SimulatedChannels.genuineAddress("WECHAT", 1), Forgery.NONE);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, CallbackEnvelope e) throws Exception {
        producer.send(new ProducerRecord<>(
                        CALLBACKS,
                        e.notifyId.getBytes(StandardCharsets.UTF_8),
                        e.toJson().getBytes(StandardCharsets.UTF_8)))
                .get();
    }

    private static List<JsonNode> json(List<String> values) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String v : values) {
            out.add(JSON.readTree(v));
        }
        out.sort((a, b) ->
                Integer.compare(a.get("attempt").asInt(), b.get("attempt").asInt()));
        return out;
    }
}
