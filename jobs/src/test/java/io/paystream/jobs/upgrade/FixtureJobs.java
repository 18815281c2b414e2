package io.paystream.jobs.upgrade;

import io.paystream.channels.SimulatedChannels;
import io.paystream.channels.bills.AlipayTradeBillWriter;
import io.paystream.channels.bills.BillEntry;
import io.paystream.channels.bills.WechatTradeBillWriter;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobMetrics;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.SharedServers;
import io.paystream.state.reconcile.BillFiles;
import io.paystream.state.shop.PaymentChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The production jobs as the savepoint fixtures were taken and as the compatibility test
 * restores them: the real job graphs ({@link JobRunner#define}), pointed at a dedicated MariaDB,
 * the shared Kafka, Elasticsearch and Redis, with the settings that are part of a fixture.
 *
 * <p>Settings that shape the timers in the state ({@code requery.schedule}, {@code internal.*},
 * {@code order.pay-timeout}) are the same when the fixture is taken and when it is restored: they
 * are an hour, and the fixture's rows are dated {@link #ROWS_BEFORE_FIXTURE} before it is taken:
 * the deadlines are still pending in the fixture, and overdue (so they fire at once) when the test
 * restores it ten minutes or more later. A changed {@code requery.schedule} would leave the
 * deadlines of payments already PAYING where the old schedule put them.
 *
 * <p>The reconciliation job reads its bills from a directory of the run ({@code billsDir}, not in
 * the state but for the files already read) and reconciles from the fixture's bill day ({@code
 * reconcile.first-day}, the manifest's {@value #RECONCILIATION_BILL_DATE}) on: the same when the
 * fixture is taken and when it is restored. Its {@code reconcile.shop-wait} is {@link #TIMELESS}:
 * the bill lines waiting for the shop's rows in the fixture must still be waiting whenever it is
 * restored (an hour would let their CHANNEL_ONLY race the rows replayed after a restore).
 */
final class FixtureJobs {
    /** Where the fixtures live, relative to the jobs module. */
    static final Path FIXTURES = Path.of("src", "test", "resources", "savepoints");

    /**
     * Jobs that have no savepoint fixture yet, each named on purpose: every other job must have one
     * (SavepointCompatibilityIT fails for a new job that is not listed here). None now: the
     * reconciliation job's (2026-12-02) was taken alone, later than the others, over the same shop
     * statements ({@code SavepointFixtures} with {@value SavepointFixtures#ONLY}).
     */
    static final java.util.Set<String> WITHOUT_FIXTURE_YET = java.util.Set.of();

    /** The jobs whose fixtures are restored and (SavepointFixtures) taken. */
    static java.util.List<PaystreamJob<?, ?>> withFixtures() {
        return io.paystream.jobs.runtime.PaystreamJobs.all().stream()
                .filter(j -> !WITHOUT_FIXTURE_YET.contains(j.name()))
                .toList();
    }

    static final String MANIFEST = "fixture.properties";
    /** The manifest's key of the reconciliation fixture's bill day (yyyy-MM-dd, Beijing time): its first reconciled day. */
    static final String RECONCILIATION_BILL_DATE = "reconciliation.bill-date";
    /** Input topics: their offsets are in the Kafka sources' state, so their names are part of the fixture. */
    static final String CALLBACKS = "fixture.payment.callbacks";

    static final String QUERY_RESULTS = "fixture.payment.query-results";
    static final int PARTITIONS = 2;
    /**
     * The deadlines in the fixtures: re-queries 1 to 3, re-notify and unpaid expiry an hour after
     * the rows (the re-queries a second apart, so that once the first is overdue all are).
     */
    static final Duration FIRST_DEADLINE = Duration.ofHours(1);
    /**
     * Retentions, remembering windows and TTLs in the fixtures: ten years. The state bakes their
     * ends in (forget and retire times, TTL stamps), and the fixtures are restored for years after
     * they are taken: with the defaults (one to seven days) the test's outcome would depend on the
     * fixture's age, not on the code.
     */
    static final String TIMELESS = "3650 d";
    /** How long before the fixtures are taken their rows are dated. */
    static final Duration ROWS_BEFORE_FIXTURE = Duration.ofMinutes(50);

    private final MariaDbServer mysql;
    private final String outputPrefix;
    private final List<String> extra;
    final SimulatedChannels channels = SimulatedChannels.generate();
    private final Map<String, String> channelSettings;
    private final Path billsDir;
    private final java.time.LocalDate firstBillDay;

    /**
     * @param outputPrefix names the output topics, the Redis keys and the index (outputs are not in
     *                     the state: the test reads fresh ones)
     * @param billsDir     where the reconciliation job reads bills
     * @param firstBillDay the reconciliation job's first bill day (the fixture's)
     * @param extra        more settings, e.g. a short answer timeout after the restore
     */
    FixtureJobs(
            MariaDbServer mysql,
            String outputPrefix,
            Path keysDir,
            Path billsDir,
            java.time.LocalDate firstBillDay,
            String... extra) {
        this.mysql = mysql;
        this.billsDir = billsDir;
        this.firstBillDay = firstBillDay;
        this.outputPrefix = outputPrefix;
        this.extra = List.of(extra);
        this.channelSettings = channels.publish(keysDir);
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(CALLBACKS, PARTITIONS);
        topics.put(QUERY_RESULTS, PARTITIONS);
        for (String out : outputTopics()) {
            topics.put(out, PARTITIONS);
        }
        SharedServers.kafka().createTopics(topics);
    }

    List<String> outputTopics() {
        return List.of(
                topic("results"),
                topic("requery"),
                topic("alerts"),
                topic("order-commands"),
                topic("dlq"),
                topic("refund-results"),
                topic("refund-requery"),
                topic("reconciliation"));
    }

    String topic(String role) {
        return outputPrefix + "." + role;
    }

    String redisPrefix() {
        return outputPrefix + ":";
    }

    String index() {
        return outputPrefix.toLowerCase().replace('.', '-') + "-orders";
    }

    Settings settings(PaystreamJob<?, ?> job) {
        List<String> args = new ArrayList<>(List.of(
                "--mysql.hostname", mysql.host(),
                "--mysql.port", String.valueOf(mysql.port()),
                "--mysql.database", MariaDbServer.DATABASE,
                "--mysql.username", MariaDbServer.CDC_USER,
                "--mysql.password", mysql.cdcPassword(),
                "--kafka.bootstrap-servers", SharedServers.kafka().bootstrapServers(),
                "--kafka.group-prefix", outputPrefix,
                "--kafka.topic.callbacks", CALLBACKS,
                "--kafka.topic.query-results", QUERY_RESULTS,
                "--kafka.topic.results", topic("results"),
                "--kafka.topic.requery", topic("requery"),
                "--kafka.topic.alerts", topic("alerts"),
                "--kafka.topic.order-commands", topic("order-commands"),
                "--kafka.topic.dlq", topic("dlq"),
                "--kafka.topic.refund-results", topic("refund-results"),
                "--kafka.topic.refund-requery", topic("refund-requery"),
                "--kafka.topic.reconciliation", topic("reconciliation"),
                "--checkpoint.interval", "500 ms",
                "--restart.attempts", "0",
                "--parallelism", "2"));
        switch (job.name()) {
            case "payments" -> {
                args.addAll(List.of(
                        "--requery.schedule",
                        "3600 s,3601 s,3602 s",
                        "--internal.timeout",
                        "1 h",
                        "--internal.schedule",
                        "1 h",
                        "--internal.give-up-after",
                        "1 h"));
                args.addAll(List.of("--payments.remember-for", TIMELESS, "--state.safety-ttl", TIMELESS));
                channelSettings.forEach((k, v) -> {
                    args.add("--" + k);
                    args.add(v);
                });
            }
            case "stock-ledger" ->
                args.addAll(List.of(
                        "--order.pay-timeout",
                        "1 h",
                        "--order.retention",
                        TIMELESS,
                        "--dedup.window",
                        TIMELESS,
                        "--risk.window",
                        TIMELESS,
                        "--redis.uri",
                        SharedServers.redis().uri(),
                        "--redis.key-prefix",
                        redisPrefix()));
            case "order-search" ->
                args.addAll(List.of(
                        "--elasticsearch.hosts",
                        SharedServers.elasticsearch().httpUrl(),
                        "--search.deleted-retention",
                        TIMELESS,
                        "--search.orphan-retention",
                        TIMELESS,
                        "--search.index",
                        index(),
                        "--search.bulk.flush-interval",
                        "100 ms"));
            case "reconciliation" ->
                args.addAll(List.of(
                        "--reconcile.bills.path",
                        billsDir.toString(),
                        "--reconcile.bills.monitor-interval",
                        "500 ms",
                        "--reconcile.first-day",
                        firstBillDay.toString(),
                        // Baked into the state (a bill line's confirmation time): like a retention, it
                        // must not make the restore's outcome depend on the fixture's age.
                        "--reconcile.shop-wait",
                        TIMELESS,
                        "--state.safety-ttl",
                        TIMELESS));
            default -> throw new IllegalArgumentException("no fixture for job " + job.name());
        }
        // Extra settings go to the jobs that have them.
        for (int i = 0; i + 1 < extra.size(); i += 2) {
            String key = extra.get(i).substring(2);
            if (JobRunner.options(job).stream().anyMatch(o -> o.key().equals(key))) {
                args.add(extra.get(i));
                args.add(extra.get(i + 1));
            }
        }
        return JobRunner.settings(job, args.toArray(new String[0]), Map.of());
    }

    /** Runs the production job, from {@code savepoint} if given (every piece of its state must be claimed). */
    JobClient start(PaystreamJob<?, ?> job, String savepoint) throws Exception {
        Configuration conf = JobMetrics.enable(new Configuration());
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobRunner.define(job, settings(job), env);
        return env.executeAsync(jobName(job));
    }

    /** A freshly started MariaDB: its binlog holds nothing but the schema's creation. */
    /**
     * A new server with the schema the fixtures were taken on: before {@code refunds} (2026-12-02),
     * which {@code SavepointCompatibilityIT} creates after the restore point, as an upgrading shop
     * would. The binlog positions in the fixtures depend on every DDL statement before them.
     */
    static MariaDbServer freshMariaDb(Path dir) {
        return MariaDbServer.start(dir, 0, secret(), secret(), java.util.Set.of("refunds"));
    }

    private static String secret() {
        byte[] b =
                new byte[12]; // the length of the servers' own secrets: the binlog's CREATE USER events keep their size
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /**
     * The reconciliation fixture's bills, of {@code billDay}: WeChat Pay's carries {@code FIX-P120}
     * (matched in the fixture) and {@code FIX-P4} (66.00, whose row the shop writes only after the
     * fixture: a bill line waiting for the shop); Alipay's {@code FIX-P2} (matched) and {@code
     * FIX-P113} (20.00, waiting likewise). {@code FIX-P111}, a WeChat Pay success on neither, is
     * held for the bills of the pending days.
     */
    static void writeFixtureBills(Path billsDir, java.time.LocalDate billDay, long paidAt) throws IOException {
        java.time.Instant at = java.time.Instant.ofEpochMilli(paidAt);
        writeBill(
                billsDir,
                PaymentChannel.WECHAT,
                billDay,
                List.of(
                        BillEntry.payment("FIX-P120", "FIX-TXN-120", 5_000, "SUCCESS", at),
                        BillEntry.payment("FIX-P4", "FIX-TXN-4", 6_600, "SUCCESS", at)));
        writeBill(
                billsDir,
                PaymentChannel.ALIPAY,
                billDay,
                List.of(
                        BillEntry.payment("FIX-P2", "FIX-TXN-2", 12_050, "SUCCESS", at),
                        BillEntry.payment("FIX-P113", "FIX-TXN-113", 2_000, "SUCCESS", at)));
    }

    /** A channel's bill of a day, written as the channels write theirs (whole, under its name). */
    static void writeBill(Path billsDir, PaymentChannel channel, java.time.LocalDate day, List<BillEntry> lines)
            throws IOException {
        Path file = billsDir.resolve(BillFiles.name(channel, day));
        if (channel == PaymentChannel.WECHAT) {
            WechatTradeBillWriter.write(file, day, lines, false);
        } else {
            AlipayTradeBillWriter.write(file, day, lines, false);
        }
    }

    /** The job's name on the MiniCluster (and in {@link JobMetrics}). */
    static String jobName(PaystreamJob<?, ?> job) {
        return "savepoint-fixture-" + job.name();
    }

    static Properties load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return p;
    }

    static void store(Properties p, Path file, String comment) {
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, comment);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
