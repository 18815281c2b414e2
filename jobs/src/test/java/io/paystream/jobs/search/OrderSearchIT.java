package io.paystream.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobMetrics;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.testing.EsIndex;
import io.paystream.jobs.testing.Eventually;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.jobs.testing.TopicReader;
import io.paystream.jobs.tools.consistency.OrderDocumentsFromMySql;
import io.paystream.servers.ElasticsearchServer;
import io.paystream.servers.FreePorts;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.SharedServers;
import io.paystream.state.cdc.ChangeOp;
import io.paystream.state.cdc.RowChange;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order-search job on the real stack: a randomized workload of inserts, updates and deletes on
 * MariaDB (children before parents included), an Elasticsearch outage in the middle of it, and a
 * stop with savepoint and restart. After each phase the index must equal, document by document,
 * what plain SQL joins over MySQL compute, with no extra document.
 */
class OrderSearchIT {
    private static final String JOB = "order-search-it";
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    /** Rows the CDC source read by snapshot in the current run. */
    static final AtomicLong SNAPSHOT_ROWS = new AtomicLong();

    @Test
    void theIndexEqualsTheSqlJoinAfterRandomChangesAnOutageAndARestartFromASavepoint(@TempDir Path tmp)
            throws Exception {
        ShopDb db = ShopDb.create("search_it");
        String dlq = "search-it.dlq";
        SharedServers.kafka().createTopics(Map.of(dlq, 1));
        int esPort = FreePorts.pick(0);
        ElasticsearchServer es = ElasticsearchServer.start(tmp.resolve("es"), esPort);
        String esUrl = es.httpUrl();
        Settings settings = JobRunner.settings(
                new OrderSearchJob(),
                db.settingsArgs(
                        "--kafka.bootstrap-servers", SharedServers.kafka().bootstrapServers(),
                        "--kafka.topic.dlq", dlq,
                        "--elasticsearch.hosts", esUrl,
                        "--search.index", "orders",
                        "--search.bulk.max-actions", "25",
                        "--search.bulk.flush-interval", "100 ms",
                        "--search.retry.max-backoff", "1 s",
                        "--checkpoint.interval", "1 s",
                        "--restart.delay", "500 ms",
                        "--mysql.server-id", "5640-5641",
                        "--parallelism", "2"),
                Map.of());
        RandomOrderWorkload work = new RandomOrderWorkload(20261127L, 1_000);
        JobClient job = null;
        try (Connection shop = DriverManager.getConnection(
                        db.server().jdbcUrl(db.database()),
                        MariaDbServer.SHOP_USER,
                        db.server().shopPassword());
                EsIndex index = new EsIndex(esUrl, "orders");
                TopicReader deadLetters = new TopicReader(dlq)) {
            // Rows before the job starts: the initial snapshot (children without an order among them).
            work.run(shop, 150);
            job = start(settings, null);
            awaitIndexEqualsMySql(shop, index, work, "after the snapshot");
            assertThat(SNAPSHOT_ROWS.get()).as("rows read by snapshot").isPositive();

            work.run(shop, 150);
            awaitIndexEqualsMySql(shop, index, work, "after streaming changes");

            // Elasticsearch goes away while the shop keeps writing: the job must back-pressure and retry.
            es.close();
            work.run(shop, 150);
            long retriesBefore = JobMetrics.value(JOB, "bulkRetries");
            Eventually.await(
                    "the writer retrying against the stopped node",
                    CONVERGE,
                    () -> JobMetrics.value(JOB, "bulkRetries") >= retriesBefore + 3);
            assertThat(JobMetrics.value(JOB, "freshnessLagMs"))
                    .as("freshness lag grows during the outage")
                    .isGreaterThan(1_000);
            es = ElasticsearchServer.start(tmp.resolve("es"), esPort);
            assertThat(es.httpPort()).isEqualTo(esPort);
            awaitIndexEqualsMySql(shop, index, work, "after the outage");

            // A stop with savepoint and a restart: the binlog resumes where it stopped, no re-snapshot.
            String savepoint = job.stopWithSavepoint(
                            false, tmp.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            job = null;
            work.run(shop, 100);
            SNAPSHOT_ROWS.set(0);
            job = start(settings, savepoint);
            work.run(shop, 100);
            awaitIndexEqualsMySql(shop, index, work, "after the restart from a savepoint");
            assertThat(SNAPSHOT_ROWS.get())
                    .as("rows read by snapshot after the restore")
                    .isZero();
            assertThat(JobMetrics.value(JOB, "documentsWritten")).isPositive();

            // Orders Elasticsearch refused went to the dead-letter topic, and the job went on.
            assertThat(work.rejectedOrders()).isNotEmpty();
            for (long id : work.rejectedOrders()) {
                deadLetters.awaitValues(1, CONVERGE, v -> v.contains("\"source\":\"es:orders/" + id + "\""));
            }
            assertThat(deadLetters.values()).allSatisfy(v -> assertThat(v).contains("mapper_parsing_exception"));

            // lastChangeAt is never older than the rows it was built from.
            Map<Long, Long> newest = new HashMap<>();
            OrderDocumentsFromMySql.documents(shop, newest);
            for (Map.Entry<Long, JsonNode> e : index.all().entrySet()) {
                assertThat(e.getValue().path("lastChangeAt").asLong())
                        .as("lastChangeAt of " + e.getKey())
                        .isGreaterThanOrEqualTo(newest.get(e.getKey()));
            }
            System.out.printf(
                    "order-search IT: %d steps, %d documents, %d written, %d stale, %d rejected%n",
                    work.steps,
                    index.count(),
                    JobMetrics.value(JOB, "documentsWritten"),
                    JobMetrics.value(JOB, "staleWritesIgnored"),
                    JobMetrics.value(JOB, "documentsRejected"));
        } finally {
            if (job != null) {
                job.cancel().get();
            }
            es.close();
        }
    }

    private static JobClient start(Settings settings, String savepoint) throws Exception {
        Configuration conf = JobMetrics.enable(new Configuration());
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        OrderSearchJob.Inputs inputs = new OrderSearchJob.Inputs(settings);
        inputs.tapOrders(orders -> counted(orders, "orders"));
        inputs.tapOrderItems(items -> counted(items, "items"));
        inputs.tapPayments(payments -> counted(payments, "payments"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobRunner.define(new OrderSearchJob(), settings, env, inputs);
        return env.executeAsync(JOB);
    }

    private static <T> DataStream<RowChange<T>> counted(DataStream<RowChange<T>> changes, String table) {
        return changes.map(new CountSnapshotRows<T>())
                .returns(changes.getType())
                .setParallelism(changes.getParallelism())
                .uid("count-" + table)
                .name("count snapshot " + table);
    }

    /** Waits until the index holds exactly MySQL's documents (orders Elasticsearch refuses left out). */
    private void awaitIndexEqualsMySql(Connection shop, EsIndex index, RandomOrderWorkload work, String when)
            throws Exception {
        Map<Long, String> expected = OrderDocumentsFromMySql.documents(shop, new HashMap<>());
        expected.keySet().removeAll(work.rejectedOrders());
        List<List<String>> last = new ArrayList<>(List.of(List.of()));
        try {
            Eventually.await("the index to equal MySQL " + when, CONVERGE, () -> {
                last.set(0, OrderDocumentsFromMySql.differences(expected, index.all()));
                return last.get(0).isEmpty();
            });
        } catch (AssertionError timedOut) {
            assertThat(last.get(0))
                    .as("index vs. MySQL " + when + " (" + last.get(0).size() + " differences)")
                    .isEmpty();
        }
        System.out.printf("order-search IT: index equals MySQL %s (%d documents)%n", when, expected.size());
    }

    static final class CountSnapshotRows<T> implements MapFunction<RowChange<T>, RowChange<T>> {
        @Override
        public RowChange<T> map(RowChange<T> c) {
            if (c.op == ChangeOp.READ) {
                SNAPSHOT_ROWS.incrementAndGet();
            }
            return c;
        }
    }
}
