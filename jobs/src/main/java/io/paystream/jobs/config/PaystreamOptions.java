package io.paystream.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every setting shared by the paystream jobs: endpoints, secrets, topic names and runtime knobs.
 * Each has a key (used in a config file and as {@code --key value}), an environment variable
 * ({@code PAYSTREAM_} + the key upper-cased with dots and dashes as underscores) and a description
 * that the README's configuration reference repeats. Job-specific settings live beside their job.
 */
public final class PaystreamOptions {
    /** Keys of the options declared {@link #secret} (first: the declarations below use it). */
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    // --- MySQL / MariaDB (CDC) ------------------------------------------------------------------
    public static final ConfigOption<String> MYSQL_HOSTNAME = key("mysql.hostname")
            .stringType()
            .defaultValue("localhost")
            .withDescription("Host of the shop's MySQL server (binlog ROW, FULL row image).");
    public static final ConfigOption<Integer> MYSQL_PORT =
            key("mysql.port").intType().defaultValue(3306).withDescription("Port of the shop's MySQL server.");
    public static final ConfigOption<String> MYSQL_DATABASE = key("mysql.database")
            .stringType()
            .defaultValue("shop")
            .withDescription("Database holding orders, order_items, payments and inventory.");
    public static final ConfigOption<String> MYSQL_USERNAME = key("mysql.username")
            .stringType()
            .defaultValue("paystream")
            .withDescription("CDC user: SELECT on the database, REPLICATION SLAVE and REPLICATION CLIENT.");
    public static final ConfigOption<String> MYSQL_PASSWORD = secret(key("mysql.password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password of the CDC user (secret: pass it by environment, PAYSTREAM_MYSQL_PASSWORD)."));
    public static final ConfigOption<String> MYSQL_SERVER_ID = key("mysql.server-id")
            .stringType()
            .noDefaultValue()
            .withDescription("Replica server-id range of this job's CDC source, e.g. 5400-5409; "
                    + "must not overlap another job's or another replica's. Defaults to the job's own range.");
    public static final ConfigOption<String> MYSQL_SERVER_TIME_ZONE = key("mysql.server-time-zone")
            .stringType()
            .defaultValue("UTC")
            .withDescription("Session time zone of the MySQL server (for TIMESTAMP columns).");
    public static final ConfigOption<String> MYSQL_MAPPING = key("mysql.mapping")
            .stringType()
            .noDefaultValue()
            .withDescription("Path of the table mapping (docs/mapping.md): the shop's own tables, columns, value maps, "
                    + "units, time zones and servers. Unset: the contract schema of docs/contract.md.");
    public static final ConfigOption<Duration> MYSQL_ORDER_NUMBER_WAIT = key("mysql.order-number-wait")
            .durationType()
            .defaultValue(Duration.ofHours(6))
            .withDescription("When items or payments name their order by number (the mapping's order-no): how long "
                    + "a row naming a number no order row has shown yet waits for it before it becomes a dead letter.");
    public static final ConfigOption<Duration> MYSQL_ORDER_NUMBER_RETENTION = key("mysql.order-number-retention")
            .durationType()
            .defaultValue(Duration.ofDays(30))
            .withDescription("How long an order number is remembered after its order's last row (a later item or "
                    + "payment row naming it still finds its order).");
    public static final ConfigOption<Boolean> MYSQL_CHECK_ON_START = key("mysql.check-on-start")
            .booleanType()
            .defaultValue(true)
            .withDescription(
                    "Check the table mapping against each server's information_schema and binlog settings "
                            + "when a job starts, and refuse to start on a problem (deploy/mapping-check runs the same check).");
    public static final ConfigOption<String> MYSQL_STARTUP_MODE = key("mysql.startup-mode")
            .stringType()
            .defaultValue("initial")
            .withDescription("Where CDC starts on a fresh start: initial (snapshot, then binlog), "
                    + "latest (binlog from now), earliest (binlog from its beginning), timestamp:<epoch-ms>, "
                    + "or snapshot (the tables as they are, then the source ends: one day's reconciliation run). "
                    + "A restore from a checkpoint or savepoint always resumes at its own binlog position.");

    public static final ConfigOption<Integer> MYSQL_SNAPSHOT_CHUNK_SIZE = key("mysql.snapshot-chunk-size")
            .intType()
            .defaultValue(8096)
            .withDescription(
                    "Rows per chunk of the initial snapshot (Flink CDC's scan.incremental.snapshot.chunk.size). "
                            + "Each chunk costs about a second of fixed work, so larger chunks read faster (80000: 5x on "
                            + "this project's machine, README 'The CDC ceiling'); a reader holds one chunk in memory.");

    // --- Kafka ------------------------------------------------------------------------------------
    public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS = key("kafka.bootstrap-servers")
            .stringType()
            .defaultValue("localhost:9092")
            .withDescription("Kafka bootstrap servers.");
    public static final ConfigOption<String> TOPIC_CALLBACKS = key("kafka.topic.callbacks")
            .stringType()
            .defaultValue("payment.callbacks")
            .withDescription("In: channel notifications, as received.");
    public static final ConfigOption<String> TOPIC_QUERY_RESULTS = key("kafka.topic.query-results")
            .stringType()
            .defaultValue("payment.query-results")
            .withDescription("In: answers of the payment center's query worker.");
    public static final ConfigOption<String> TOPIC_RESULTS = key("kafka.topic.results")
            .stringType()
            .defaultValue("payment.results")
            .withDescription("Out: each payment's verified outcome, exactly once.");
    public static final ConfigOption<String> TOPIC_REQUERY = key("kafka.topic.requery")
            .stringType()
            .defaultValue("payment.requery")
            .withDescription("Out: commands to query a channel about a payment.");
    public static final ConfigOption<String> TOPIC_REFUND_RESULTS = key("kafka.topic.refund-results")
            .stringType()
            .defaultValue("refund.results")
            .withDescription("Out: each refund's verified outcome, exactly once.");
    public static final ConfigOption<String> TOPIC_REFUND_REQUERY = key("kafka.topic.refund-requery")
            .stringType()
            .defaultValue("refund.requery")
            .withDescription("Out: commands to query a channel about a refund stuck in REFUNDING.");
    public static final ConfigOption<String> TOPIC_ALERTS = key("kafka.topic.alerts")
            .stringType()
            .defaultValue("payment.alerts")
            .withDescription("Out: lost payments, forged callbacks, oversell and other alerts.");
    public static final ConfigOption<String> TOPIC_ORDER_COMMANDS = key("kafka.topic.order-commands")
            .stringType()
            .defaultValue("order.commands")
            .withDescription("Out: commands to the order system (re-notify, cancel).");
    public static final ConfigOption<String> TOPIC_RECONCILIATION = key("kafka.topic.reconciliation")
            .stringType()
            .defaultValue("payment.reconciliation")
            .withDescription("Out: each payment's and refund's reconciliation with the channels' bills, and bills whose"
                    + " totals do not add up, exactly once.");
    public static final ConfigOption<String> TOPIC_DLQ = key("kafka.topic.dlq")
            .stringType()
            .defaultValue("paystream.dlq")
            .withDescription("Out: records paystream could not use, with the reason.");
    public static final ConfigOption<String> KAFKA_GROUP_PREFIX = key("kafka.group-prefix")
            .stringType()
            .defaultValue("paystream")
            .withDescription("Consumer group id prefix; each job appends its own name.");
    public static final ConfigOption<Duration> KAFKA_TRANSACTION_TIMEOUT = key("kafka.transaction-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("transaction.timeout.ms of exactly-once sinks; "
                    + "must stay below the broker's transaction.max.timeout.ms (15 min by default).");

    // --- Elasticsearch and Redis ----------------------------------------------------------------------
    public static final ConfigOption<String> ELASTICSEARCH_HOSTS = key("elasticsearch.hosts")
            .stringType()
            .defaultValue("http://localhost:9200")
            .withDescription("Comma-separated Elasticsearch 7 URLs.");
    public static final ConfigOption<String> REDIS_URI = key("redis.uri")
            .stringType()
            .defaultValue("redis://localhost:6379")
            .withDescription("Redis the shop reads stock and submit keys from.");

    // --- Runtime ----------------------------------------------------------------------------------------
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("checkpoint.interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(2))
            .withDescription("Exactly-once checkpoint interval; it bounds how late "
                    + "transactional Kafka output becomes visible to read_committed consumers.");
    public static final ConfigOption<Duration> CHECKPOINT_TIMEOUT = key("checkpoint.timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(2))
            .withDescription("A checkpoint (or savepoint) not complete after this long expires; it must stay "
                    + "below kafka.transaction-timeout. An acknowledgement the JobManager never records "
                    + "(issue 12) holds every commit back until then: Flink's own default is 10 min.");
    public static final ConfigOption<Duration> CHECKPOINT_MIN_PAUSE = key("checkpoint.min-pause")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("Least time between the end of one checkpoint and the start of the next, so that "
                    + "every task hears a checkpoint completed before the next one's barrier reaches it.");
    public static final ConfigOption<Integer> CHECKPOINT_TOLERABLE_FAILURES = key("checkpoint.tolerable-failures")
            .intType()
            .defaultValue(2)
            .withDescription("Checkpoints in a row that may fail (expire, be declined) before the job restarts "
                    + "from its latest completed checkpoint; a success counts afresh.");
    public static final ConfigOption<String> CHECKPOINT_DIR = key("checkpoint.dir")
            .stringType()
            .noDefaultValue()
            .withDescription("Checkpoint storage URI (file://, s3://, hdfs://); "
                    + "unset keeps the cluster's execution.checkpointing.dir.");
    public static final ConfigOption<Integer> PARALLELISM = key("parallelism")
            .intType()
            .noDefaultValue()
            .withDescription("Job parallelism; unset keeps the cluster's default.");
    public static final ConfigOption<Integer> MAX_PARALLELISM = key("max-parallelism")
            .intType()
            .defaultValue(128)
            .withDescription("Key groups of every keyed state: fixed for a job's lifetime "
                    + "(changing it breaks savepoint compatibility).");
    public static final ConfigOption<Integer> RESTART_ATTEMPTS = key("restart.attempts")
            .intType()
            .defaultValue(10)
            .withDescription("Restarts in a row allowed before the job fails for good (bounded on purpose: "
                    + "a missing grant must not restart forever); the count starts again after the job ran "
                    + "restart.reset-after without a failure.");
    // 1 s (was 5 s; Flink's own exponential-delay default is 1 s too): after a TaskManager's loss
    // with a standby TaskManager registered the slots are there at once, and the 5 s were pure
    // waiting in every such recovery (issue 12: p99 <= 30 s from the kill). A server that stays
    // away still gets doubling delays (1, 2, 4, ... 60 s): restart.attempts (10) in a row span
    // about 5 min of a lasting outage instead of about 7.
    public static final ConfigOption<Duration> RESTART_DELAY = key("restart.delay")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription(
                    "Delay before the first restart; doubled for each further restart in a row, " + "up to 1 min.");
    public static final ConfigOption<Duration> RESTART_RESET_AFTER = key("restart.reset-after")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("A job that ran this long without a failure counts restarts (and their delay) "
                    + "from the start again.");

    private PaystreamOptions() {}

    /**
     * Declares {@code option} a secret, where it is declared: accepted from the environment, a config
     * file or arguments only, never from the Flink configuration (which Flink logs and shows).
     */
    public static <T> ConfigOption<T> secret(ConfigOption<T> option) {
        SECRETS.add(option.key());
        return option;
    }

    /** Whether {@code option} was declared with {@link #secret}; its description plays no part. */
    public static boolean isSecret(ConfigOption<?> option) {
        return SECRETS.contains(option.key());
    }

    /** Every option declared in the given holder classes, for validation and the configuration reference. */
    public static List<ConfigOption<?>> declaredIn(Class<?>... holders) {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Class<?> holder : holders) {
            for (Field f : holder.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    try {
                        options.add((ConfigOption<?>) f.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return options;
    }
}
