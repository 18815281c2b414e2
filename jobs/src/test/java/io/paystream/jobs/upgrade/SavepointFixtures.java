package io.paystream.jobs.upgrade;

import static io.paystream.jobs.upgrade.FixtureJobs.CALLBACKS;
import static io.paystream.jobs.upgrade.FixtureJobs.QUERY_RESULTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paystream.channels.CallbackEnvelope;
import io.paystream.channels.Forgery;
import io.paystream.channels.PaymentFacts;
import io.paystream.channels.SimulatedChannels;
import io.paystream.jobs.runtime.JobMetrics;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.PaystreamJobs;
import io.paystream.jobs.testing.EsIndex;
import io.paystream.jobs.testing.Eventually;
import io.paystream.jobs.testing.TopicReader;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.SharedServers;
import io.paystream.state.reconcile.BillCalendar;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Takes the savepoint fixtures of {@code src/test/resources/savepoints/} with the current code.
 * Not part of {@code mvn verify} (its name ends in neither Test nor IT): run it only for a change
 * that is meant to break savepoint compatibility, and say so in the release notes:
 *
 * <pre>
 * mvn -B -pl jobs -am verify -Dit.test=SavepointFixtures -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 *
 * It starts a fresh MariaDB, writes {@link FixtureShop#beforeStart}, starts the production jobs,
 * writes {@link FixtureShop#afterStart}, one verified callback and the reconciliation's bills of
 * the day ({@link FixtureJobs#writeFixtureBills}), waits until every job has applied all of it, stops each job with a savepoint in the canonical (backend-portable) format
 * and copies it over the old fixture, with a manifest of what the restore needs to reproduce
 * ({@link FixtureJobs#MANIFEST}: row times, binlog end, input topic offsets, the reconciliation's
 * bill day). With {@code -Dpaystream.fixtures=<job>[,<job>]} ({@link #ONLY}) it takes only those
 * (a new job's first fixture) and leaves the others as they are.
 */
class SavepointFixtures {
    private static final Duration WAIT = Duration.ofSeconds(120);

    /**
     * System property naming the fixtures to take (job names, comma-separated); unset, all of them.
     * A job's fixture is taken alone when it is first added, so the others stay the previous
     * version's: the manifest keeps their entries, and the run checks that the same statements
     * left the binlog where the manifest says (the restore replays them once for all jobs).
     */
    static final String ONLY = "paystream.fixtures";

    @Test
    void takeTheSavepointFixturesWithTheCurrentCode(@TempDir Path tmp) throws Exception {
        List<PaystreamJob<?, ?>> taking = taking();
        boolean all = taking.size() == FixtureJobs.withFixtures().size();
        Path manifestFile = FixtureJobs.FIXTURES.resolve(FixtureJobs.MANIFEST);
        Properties manifest = all ? new Properties() : FixtureJobs.load(manifestFile);
        MariaDbServer mysql = FixtureJobs.freshMariaDb(tmp.resolve("mariadb"));
        Map<String, JobClient> jobs = new LinkedHashMap<>();
        try {
            // The rows are dated so that the first deadlines (an hour after them) are still ahead
            // while the fixtures are taken, and passed for any restore from ten minutes later on.
            long rowsAt = System.currentTimeMillis() - FixtureJobs.ROWS_BEFORE_FIXTURE.toMillis();
            long changesAt = rowsAt + 1_000;
            LocalDate billDay = BillCalendar.BEIJING_DAYS.dateOf(changesAt);
            Path bills = Files.createDirectories(tmp.resolve("bills"));
            FixtureJobs fixture =
                    new FixtureJobs(mysql, "fixture", Files.createDirectories(tmp.resolve("keys")), bills, billDay);
            FixtureShop.run(mysql, FixtureShop.beforeStart(rowsAt));
            for (PaystreamJob<?, ?> job : taking) {
                jobs.put(job.name(), fixture.start(job, null));
            }
            String payments = FixtureJobs.jobName(PaystreamJobs.named("payments"));
            if (jobs.containsKey("payments")) {
                Eventually.await(
                        "payments read the three PAYING payments",
                        WAIT,
                        () -> JobMetrics.value(payments, "paymentsWatched") == 3);
            }
            if (jobs.containsKey("stock-ledger")) {
                Eventually.await(
                        "stock-ledger published SKU 7001",
                        WAIT,
                        () -> !stock(fixture, 7001).isEmpty());
            }
            if (jobs.containsKey("order-search")) {
                try (EsIndex index = new EsIndex(SharedServers.elasticsearch().httpUrl(), fixture.index())) {
                    Eventually.await("order-search wrote order 101", WAIT, () -> document(index, 101) != null);
                }
            }

            FixtureShop.run(mysql, FixtureShop.afterStart(changesAt));
            if (jobs.containsKey("payments")) {
                sendSettledCallback(fixture.channels);
                try (TopicReader results = new TopicReader(fixture.topic("results"))) {
                    results.awaitValues(1, WAIT, v -> v.contains("\"" + FixtureShop.SETTLED + "\""));
                }
                Eventually.await(
                        "payments: one payment open, orders 102 and 120 waiting to be PAID",
                        WAIT,
                        () -> JobMetrics.value(payments, "openPayments") == 1
                                && JobMetrics.value(payments, "openInternalWatches") == 2);
            }
            if (jobs.containsKey("stock-ledger")) {
                Eventually.await(
                        "stock-ledger: 7001 reserved 3 sold 1, 7002 sold 4",
                        WAIT,
                        () -> "3".equals(stock(fixture, 7001).get("reserved"))
                                && "1".equals(stock(fixture, 7001).get("sold"))
                                && "4".equals(stock(fixture, 7002).get("sold")));
            }
            if (jobs.containsKey("order-search")) {
                try (EsIndex index = new EsIndex(SharedServers.elasticsearch().httpUrl(), fixture.index())) {
                    Eventually.await("order-search: order 120 with its two items and its payment", WAIT, () -> {
                        JsonNode d = document(index, FixtureShop.SEARCH_ORDER);
                        return d != null
                                && d.path("items").size() == 2
                                && "PAID".equals(d.path("paymentStatus").asText());
                    });
                }
            }
            if (jobs.containsKey("reconciliation")) {
                // The day's bills after the shop's rows: FIX-P120 and FIX-P2 matched, FIX-P4 and
                // FIX-P113 on the bills waiting for their rows, FIX-P111 held for the pending days.
                FixtureJobs.writeFixtureBills(bills, billDay, changesAt);
                try (TopicReader findings = new TopicReader(fixture.topic("reconciliation"))) {
                    findings.awaitValues(
                            2, WAIT, v -> v.contains("\"billDate\":\"" + billDay + "\"") && v.contains("\"MATCHED\""));
                    assertThat(findings.drain(Duration.ofSeconds(2)))
                            .as("nothing else said of the fixture's day before it is taken")
                            .filteredOn(v -> v.contains(billDay.toString()))
                            .hasSize(2)
                            .allMatch(v -> v.contains("\"MATCHED\""))
                            .anyMatch(v -> v.contains("\"FIX-P120\""))
                            .anyMatch(v -> v.contains("\"" + FixtureShop.SETTLED + "\""));
                }
            }
            // A few checkpoints later nothing is in flight: the savepoints hold no pending transactions.
            Thread.sleep(2_000);

            String binlogEnd = FixtureShop.binlogEnd(mysql);
            if (all) {
                manifest.setProperty("flink.version", EnvironmentInformation.getVersion());
                manifest.setProperty("rows-at", String.valueOf(rowsAt));
                manifest.setProperty("changes-at", String.valueOf(changesAt));
                manifest.setProperty("binlog.end", binlogEnd);
                endOffsets(manifest);
            } else {
                assertThat(binlogEnd)
                        .as("the shop's statements end the binlog where the other fixtures' manifest says")
                        .isEqualTo(manifest.getProperty("binlog.end"));
            }
            if (jobs.containsKey("reconciliation")) {
                manifest.setProperty(FixtureJobs.RECONCILIATION_BILL_DATE, billDay.toString());
            }
            assertThat(System.currentTimeMillis())
                    .as("taking the fixtures before their first deadline (they must be pending in them)")
                    .isLessThan(rowsAt + FixtureJobs.FIRST_DEADLINE.toMillis() - 60_000);
            for (Map.Entry<String, JobClient> e : new ArrayList<>(jobs.entrySet())) {
                String taken = e.getValue()
                        .stopWithSavepoint(
                                false, tmp.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();
                jobs.remove(e.getKey());
                replace(Path.of(URI.create(taken)), FixtureJobs.FIXTURES.resolve(e.getKey()));
            }
            assertThat(System.currentTimeMillis())
                    .as("fixtures taken before their first deadline")
                    .isLessThan(rowsAt + FixtureJobs.FIRST_DEADLINE.toMillis());
            try (TopicReader requeries = new TopicReader(fixture.topic("requery"))) {
                assertThat(requeries.drain(Duration.ofSeconds(1)))
                        .as("no re-query before the fixture was taken")
                        .isEmpty();
            }
            FixtureJobs.store(
                    manifest,
                    manifestFile,
                    "Savepoint fixtures: taken by SavepointFixtures over FixtureShop's statements. Do not edit.");
            System.out.println("savepoint fixtures "
                    + taking.stream().map(PaystreamJob::name).toList() + " written to "
                    + FixtureJobs.FIXTURES.toAbsolutePath() + ": " + manifest);
        } finally {
            for (JobClient j : jobs.values()) {
                j.cancel().get();
            }
            mysql.close();
        }
    }

    /** The fixtures this run takes: those {@value #ONLY} names, or all. */
    private static List<PaystreamJob<?, ?>> taking() {
        String only = System.getProperty(ONLY, "").trim();
        if (only.isEmpty()) {
            return FixtureJobs.withFixtures();
        }
        List<PaystreamJob<?, ?>> jobs = new ArrayList<>();
        for (String name : only.split(",")) {
            assertThat(FixtureJobs.withFixtures().stream().map(PaystreamJob::name))
                    .as("a job with a fixture")
                    .contains(name.trim());
            jobs.add(PaystreamJobs.named(name.trim()));
        }
        return jobs;
    }

    /** The ALIPAY success callback of {@link FixtureShop#SETTLED}, as the channel sends it. */
    private static void sendSettledCallback(SimulatedChannels channels) {
        Instant now = Instant.now();
        CallbackEnvelope e = channels.alipay()
                .notification(
                        new PaymentFacts(FixtureShop.SETTLED, "FIX-TXN-2", FixtureShop.SETTLED_CENTS, "SUCCESS", now),
                        now,
                        SimulatedChannels.genuineAddress("ALIPAY", 1),
                        Forgery.NONE);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                    CALLBACKS,
                    e.notifyId.getBytes(StandardCharsets.UTF_8),
                    e.toJson().getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The end offsets of the input topics: the restore refills fresh topics up to them. */
    private static void endOffsets(Properties manifest) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : List.of(CALLBACKS, QUERY_RESULTS)) {
                for (int i = 0; i < FixtureJobs.PARTITIONS; i++) {
                    parts.add(new TopicPartition(t, i));
                }
            }
            c.endOffsets(parts)
                    .forEach((tp, end) -> manifest.setProperty(
                            "kafka.end." + tp.topic() + "." + tp.partition(), String.valueOf(end)));
        }
    }

    /** The document's source, or null while it or its index is not there (yet): a new index's shard may still be recovering. */
    static JsonNode document(EsIndex index, long orderId) {
        try {
            JsonNode found = index.exists() ? index.get(orderId) : null;
            return found == null ? null : found.path("_source");
        } catch (RuntimeException notReadyYet) {
            return null;
        }
    }

    static Map<String, String> stock(FixtureJobs fixture, long sku) {
        try (Jedis redis = new Jedis(URI.create(SharedServers.redis().uri()))) {
            return redis.hgetAll(fixture.redisPrefix() + "stock:" + sku);
        }
    }

    private static void replace(Path savepoint, Path fixture) throws Exception {
        if (Files.exists(fixture)) {
            try (Stream<Path> old = Files.walk(fixture)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(fixture);
        try (Stream<Path> files = Files.walk(savepoint)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = fixture.resolve(savepoint.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
