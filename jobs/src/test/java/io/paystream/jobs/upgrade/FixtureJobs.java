package io.paystream.jobs.upgrade;

import io.paystream.channels.SimulatedChannels;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobMetrics;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.SharedServers;
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
 * The three production jobs as the savepoint fixtures were taken and as the compatibility test
 * restores them: the real job graphs ({@link JobRunner#define}), pointed at a dedicated MariaDB,
 * the shared Kafka, Elasticsearch and Redis, with the settings that are part of a fixture.
 *
 * <p>Settings that shape the timers in the state ({@code requery.schedule}, {@code internal.*},
 * {@code order.pay-timeout}) are the same when the fixture is taken and when it is restored: they
 * are an hour, and the fixture's rows are dated {@link #ROWS_BEFORE_FIXTURE} before it is taken:
 * the deadlines are still pending in the fixture, and overdue (so they fire at once) when the test
 * restores it ten minutes or more later. A changed {@code requery.schedule} would leave the
 * deadlines of payments already PAYING where the old schedule put them.
 */
final class FixtureJobs {
    /** Where the fixtures live, relative to the jobs module. */
    static final Path FIXTURES = Path.of("src", "test", "resources", "savepoints");

    /**
     * Jobs that have no savepoint fixture yet, each named on purpose: every other job must have one
     * (SavepointCompatibilityIT fails for a new job that is not listed here). The reconciliation job
     * (2026-12-02) is new: no earlier version's savepoint of it exists to restore; its fixture is to
     * be taken when it is first released (open, issue 17's note).
     */
    static final java.util.Set<String> WITHOUT_FIXTURE_YET = java.util.Set.of("reconciliation");

    /** The jobs whose fixtures are restored and (SavepointFixtures) taken. */
    static java.util.List<PaystreamJob<?, ?>> withFixtures() {
        return io.paystream.jobs.runtime.PaystreamJobs.all().stream()
                .filter(j -> !WITHOUT_FIXTURE_YET.contains(j.name()))
                .toList();
    }

    static final String MANIFEST = "fixture.properties";
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

    /**
     * @param outputPrefix names the output topics, the Redis keys and the index (outputs are not in
     *                     the state: the test reads fresh ones)
     * @param extra        more settings, e.g. a short answer timeout after the restore
     */
    FixtureJobs(MariaDbServer mysql, String outputPrefix, Path keysDir, String... extra) {
        this.mysql = mysql;
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
                topic("refund-requery"));
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
