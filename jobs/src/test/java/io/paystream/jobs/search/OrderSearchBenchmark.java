package io.paystream.jobs.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobMetrics;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.testing.EsIndex;
import io.paystream.jobs.testing.Eventually;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.ScratchDirectories;
import io.paystream.servers.SharedServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

/**
 * MariaDB to Elasticsearch, end to end, for the order-search DataStream job and for
 * sql/order-search.sql, on identical data in two databases: snapshot rows/s, streaming rows/s,
 * and freshness (commit to the complete document readable by id) at a paced 2k rows/s. The
 * ceiling beside them: Elasticsearch bulk-indexing the same documents with no Flink at all.
 *
 * <p>A benchmark, not a test: not run by {@code mvn verify}. Run it with
 * {@code mvn -B -o verify -pl jobs -am -Dit.test=OrderSearchBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false}; sizes by -Dbench.orders etc.,
 * {@code -Dbench.datastream-only=true} skips the SQL version, {@code -Dbench.chunk-size} sets the
 * job's {@code mysql.snapshot-chunk-size}.
 */
class OrderSearchBenchmark {
    private static final int SNAPSHOT_ORDERS = Integer.getInteger("bench.orders", 30_000);
    private static final int STREAM_ORDERS = Integer.getInteger("bench.stream-orders", 15_000);
    private static final int PACED_ROWS_PER_SECOND = Integer.getInteger("bench.paced-rows", 2_000);
    private static final int PACED_SECONDS = Integer.getInteger("bench.paced-seconds", 20);
    private static final int ITEMS_PER_ORDER = 2;
    /** order + items + payment */
    private static final int ROWS_PER_ORDER = 2 + ITEMS_PER_ORDER;

    private static final Duration WAIT = Duration.ofMinutes(10);

    @Test
    void endToEndThroughputAndFreshness() throws Exception {
        String es = SharedServers.elasticsearch().httpUrl();
        List<String> report = new ArrayList<>();
        report.add(String.format(
                "machine: %d cores, JDK %s; %d snapshot orders (%d rows), %d streamed orders (%d rows), paced %d rows/s for %d s",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                SNAPSHOT_ORDERS,
                SNAPSHOT_ORDERS * ROWS_PER_ORDER,
                STREAM_ORDERS,
                STREAM_ORDERS * ROWS_PER_ORDER,
                PACED_ROWS_PER_SECOND,
                PACED_SECONDS));
        report.add("ceiling, Elasticsearch bulk of the same documents (no Flink): " + esCeiling(es) + " docs/s");
        System.out.println("order-search benchmark: " + report.get(report.size() - 1));
        report.add("datastream: " + run("bench_ds", es, "bench-ds", false));
        System.out.println("order-search benchmark: " + report.get(report.size() - 1));
        if (!Boolean.getBoolean("bench.datastream-only")) {
            report.add("sql:        " + run("bench_sql", es, OrderSearchSql.INDEX, true));
        }
        System.out.println("\n==== order-search benchmark ====\n" + String.join("\n", report) + "\n");
    }

    private String run(String database, String esUrl, String indexName, boolean sql) throws Exception {
        ShopDb db = ShopDb.create(database);
        try (Connection c = connect(db);
                EsIndex index = new EsIndex(esUrl, indexName)) {
            long t = System.nanoTime();
            load(c, 1, SNAPSHOT_ORDERS);
            double loadSeconds = seconds(t);
            ensureIndex(esUrl, indexName);

            long start = System.nanoTime();
            JobClient job = sql ? startSql(db, esUrl) : startDataStream(db, esUrl, indexName);
            // Where the snapshot's time goes (DataStream job): until the first row reached the
            // join (start-up), until every order was held (the snapshot read), until every
            // document was emitted (the end announced, the held documents written out).
            long[] phases = {-1, -1, -1};
            Thread phaseWatch = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted() && phases[2] < 0) {
                    long held = JobMetrics.value("bench-ds", "documentsHeldForSnapshot")
                            + JobMetrics.value("bench-ds", "rowsBeforeOrder");
                    long emitted = JobMetrics.value("bench-ds", "documentsEmitted");
                    long now = System.nanoTime() - start;
                    if (phases[0] < 0 && held > 0) phases[0] = now;
                    if (phases[1] < 0 && JobMetrics.value("bench-ds", "documentsHeldForSnapshot") >= SNAPSHOT_ORDERS)
                        phases[1] = now;
                    if (phases[2] < 0 && emitted >= SNAPSHOT_ORDERS) phases[2] = now;
                    LockSupport.parkNanos(20_000_000L);
                }
            });
            if (!sql) {
                phaseWatch.setDaemon(true);
                phaseWatch.start();
            }
            try {
                awaitIndexed(index, SNAPSHOT_ORDERS);
                double snapshotSeconds = seconds(start);
                phaseWatch.interrupt();
                // Documents the join emitted for the snapshot's orders: one each is the goal.
                String snapshotWrites = sql
                        ? ""
                        : String.format(
                                ", %.2f documents written per order; first row at the join %.1f s, all held %.1f s,"
                                        + " all emitted %.1f s",
                                JobMetrics.value("bench-ds", "documentsEmitted") / (double) SNAPSHOT_ORDERS,
                                phases[0] / 1e9,
                                phases[1] / 1e9,
                                phases[2] / 1e9);

                // Streaming: four writers, 25 orders a transaction, so MariaDB's commits outpace the sync.
                long streamStart = System.nanoTime();
                writeOrders(db, SNAPSHOT_ORDERS + 1, STREAM_ORDERS, 4, 25, 0, null);
                double writeSeconds = seconds(streamStart);
                awaitIndexed(index, SNAPSHOT_ORDERS + STREAM_ORDERS);
                double streamSeconds = seconds(streamStart);

                // Freshness at a steady rate: commit to the complete document readable by id.
                int pacedOrders = PACED_ROWS_PER_SECOND / ROWS_PER_ORDER * PACED_SECONDS;
                Map<Long, Long> committed = new ConcurrentHashMap<>();
                List<Long> lags = new ArrayList<>();
                Thread poller = poller(index, committed, lags);
                writeOrders(
                        db,
                        SNAPSHOT_ORDERS + STREAM_ORDERS + 1,
                        pacedOrders,
                        2,
                        1,
                        PACED_ROWS_PER_SECOND / ROWS_PER_ORDER,
                        committed);
                Eventually.await("paced orders indexed", WAIT, () -> committed.isEmpty());
                poller.interrupt();
                poller.join();
                long[] sorted =
                        lags.stream().mapToLong(Long::longValue).sorted().toArray();

                String jobLag = "";
                if (!sql) {
                    var h = JobMetrics.histograms("bench-ds", "writeLagMs");
                    if (!h.isEmpty()) {
                        jobLag = String.format(
                                ", job's writeLagMs p50 %.0f ms p99 %.0f ms (last 10k writes of subtask 0)",
                                h.get(0).getStatistics().getQuantile(0.5),
                                h.get(0).getStatistics().getQuantile(0.99));
                    }
                }
                return String.format(
                        "snapshot %d rows in %.1f s = %.0f rows/s (MariaDB load took %.1f s%s); streaming %d rows in %.1f s = %.0f rows/s "
                                + "(MariaDB commits alone %.0f rows/s); freshness at %d rows/s: p50 %d ms, p99 %d ms, max %d ms over %d orders%s",
                        SNAPSHOT_ORDERS * ROWS_PER_ORDER,
                        snapshotSeconds,
                        SNAPSHOT_ORDERS * ROWS_PER_ORDER / snapshotSeconds,
                        loadSeconds,
                        snapshotWrites,
                        STREAM_ORDERS * ROWS_PER_ORDER,
                        streamSeconds,
                        STREAM_ORDERS * ROWS_PER_ORDER / streamSeconds,
                        STREAM_ORDERS * ROWS_PER_ORDER / writeSeconds,
                        PACED_ROWS_PER_SECOND,
                        quantile(sorted, 0.5),
                        quantile(sorted, 0.99),
                        sorted.length == 0 ? -1 : sorted[sorted.length - 1],
                        sorted.length,
                        jobLag);
            } finally {
                job.cancel().get();
                index.delete();
            }
        }
    }

    private JobClient startDataStream(ShopDb db, String esUrl, String indexName) throws Exception {
        OrderSearchJob jobDef = new OrderSearchJob();
        Settings settings = JobRunner.settings(
                jobDef,
                db.settingsArgs(
                        "--mysql.server-id",
                        "5650-5651",
                        "--kafka.bootstrap-servers",
                        SharedServers.kafka().bootstrapServers(),
                        "--kafka.topic.dlq",
                        "search-bench.dlq",
                        "--elasticsearch.hosts",
                        esUrl,
                        "--search.index",
                        indexName,
                        "--parallelism",
                        "2",
                        "--mysql.snapshot-chunk-size",
                        System.getProperty("bench.chunk-size", "8096"),
                        "--checkpoint.dir",
                        checkpoints("ds")),
                Map.of());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(JobMetrics.enable(new Configuration()));
        JobRunner.define(jobDef, settings, env);
        return env.executeAsync("bench-ds");
    }

    private JobClient startSql(ShopDb db, String esUrl) throws Exception {
        // The same runtime as the job's: RocksDB, incremental checkpoints to files (the script sets the interval).
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints("sql"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        TableEnvironment tEnv = StreamTableEnvironment.create(env);
        // sql/catalog.sql filled for this database, then sql/order-search.sql as it is: its own
        // server ids (the SQL client's, not the tests' 5600-5699: nothing else reads this
        // MariaDB's binlog while the benchmark runs) and its own index.
        Map<String, String> values = new HashMap<>(Map.of(
                "PAYSTREAM_MYSQL_HOSTNAME",
                db.server().host(),
                "PAYSTREAM_MYSQL_PORT",
                String.valueOf(db.server().port()),
                "PAYSTREAM_MYSQL_DATABASE",
                db.database(),
                "PAYSTREAM_MYSQL_USERNAME",
                MariaDbServer.CDC_USER,
                "PAYSTREAM_MYSQL_PASSWORD",
                db.server().cdcPassword(),
                "PAYSTREAM_ELASTICSEARCH_HOSTS",
                esUrl,
                "PAYSTREAM_KAFKA_BOOTSTRAP_SERVERS",
                SharedServers.kafka().bootstrapServers()));
        TableResult result = null;
        for (String s : OrderSearchSql.statements(values)) {
            if (s.startsWith("INSERT")) {
                result = tEnv.executeSql(s);
            } else {
                OrderSearchSql.execute(tEnv, s);
            }
        }
        return result.getJobClient().orElseThrow();
    }

    /**
     * Waits until the index holds every document complete. Polled every 250 ms, a cheap count
     * first: the aggregation over every document, run every 50 ms (Eventually's default), took
     * Elasticsearch's CPU from the indexing it measures (the index refreshes once a second, so
     * finer polling sees nothing sooner).
     */
    private static void awaitIndexed(EsIndex index, int orders) {
        long items = (long) orders * ITEMS_PER_ORDER;
        Eventually.await(
                orders + " complete documents", WAIT, Duration.ofMillis(250), () -> indexed(index, orders, items));
    }

    private static boolean indexed(EsIndex index, int orders, long items) {
        if (index.request("GET", "/" + index.name() + "/_count", null)
                        .path("count")
                        .asLong()
                < orders) {
            return false;
        }
        JsonNode r = index.request(
                "POST",
                "/" + index.name() + "/_search",
                "{\"size\":0,\"track_total_hits\":true,\"aggs\":{\"items\":{\"sum\":{\"field\":\"itemCount\"}},"
                        + "\"paid\":{\"filter\":{\"term\":{\"paymentStatus\":\"PAID\"}}}}}");
        return r.path("hits").path("total").path("value").asLong() == orders
                && r.path("aggregations").path("items").path("value").asLong() == items
                && r.path("aggregations").path("paid").path("doc_count").asLong() == orders;
    }

    /** Polls Elasticsearch by id (real time, no refresh needed) for the orders committed and not yet seen complete. */
    private static Thread poller(EsIndex index, Map<Long, Long> committed, List<Long> lags) {
        Thread t = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        List<Long> ids = new ArrayList<>(committed.keySet());
                        if (ids.isEmpty()) {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                            continue;
                        }
                        StringBuilder body = new StringBuilder("{\"ids\":[");
                        for (int i = 0; i < ids.size(); i++) {
                            body.append(i == 0 ? "" : ",")
                                    .append('"')
                                    .append(ids.get(i))
                                    .append('"');
                        }
                        JsonNode docs = index.request(
                                        "POST",
                                        "/" + index.name() + "/_mget?_source_includes=itemCount,paymentStatus",
                                        body + "]}")
                                .path("docs");
                        long now = System.currentTimeMillis();
                        for (JsonNode d : docs) {
                            if (d.path("found").asBoolean()
                                    && d.path("_source").path("itemCount").asInt() == ITEMS_PER_ORDER
                                    && "PAID"
                                            .equals(d.path("_source")
                                                    .path("paymentStatus")
                                                    .asText())) {
                                Long at = committed.remove(
                                        Long.parseLong(d.path("_id").asText()));
                                if (at != null) {
                                    synchronized (lags) {
                                        lags.add(now - at);
                                    }
                                }
                            }
                        }
                    }
                },
                "freshness-poller");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Orders (order, items, a successful payment), {@code perCommit} a transaction; rate 0: as fast as possible. */
    private static void writeOrders(
            ShopDb db,
            long firstId,
            int count,
            int threads,
            int perCommit,
            int ordersPerSecond,
            Map<Long, Long> committed)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong next = new AtomicLong(firstId);
        long end = firstId + count;
        long startNanos = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                try (Connection c = connect(db);
                        Statement s = c.createStatement()) {
                    c.setAutoCommit(false);
                    long id;
                    int inTransaction = 0;
                    while ((id = next.getAndIncrement()) < end) {
                        if (ordersPerSecond > 0) {
                            long due = startNanos + (id - firstId) * 1_000_000_000L / ordersPerSecond;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait); // pacing the load generator
                            }
                        }
                        s.execute("INSERT INTO orders VALUES (" + id + ", " + (id % 997)
                                + ", 'PAID', 25.00, NULL, '10.0.0.1', NOW(3), NOW(3))");
                        s.execute("INSERT INTO order_items VALUES (" + id * 10 + ", " + id + ", 7, 1, 10.00), ("
                                + (id * 10 + 1) + ", " + id + ", 8, 1, 15.00)");
                        s.execute("INSERT INTO payments VALUES ('B" + id + "', " + id
                                + ", 'ALIPAY', 25.00, 'SUCCESS', 'T" + id + "', NOW(3), NOW(3))");
                        if (++inTransaction == perCommit) {
                            c.commit();
                            inTransaction = 0;
                            if (committed != null) {
                                committed.put(id, System.currentTimeMillis());
                            }
                        }
                    }
                    c.commit();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    /** The snapshot data: multi-row inserts, 1000 orders a statement. */
    private static void load(Connection c, long firstId, int count) throws SQLException {
        Random random = new Random(42);
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            for (long from = firstId; from < firstId + count; from += 1000) {
                long to = Math.min(firstId + count, from + 1000);
                StringBuilder o = new StringBuilder("INSERT INTO orders VALUES ");
                StringBuilder i = new StringBuilder("INSERT INTO order_items VALUES ");
                StringBuilder p = new StringBuilder("INSERT INTO payments VALUES ");
                for (long id = from; id < to; id++) {
                    String sep = id == from ? "" : ",";
                    o.append(sep)
                            .append("(")
                            .append(id)
                            .append(",")
                            .append(random.nextInt(1000))
                            .append(",'PAID',25.00,NULL,'10.0.0.2',NOW(3),NOW(3))");
                    i.append(sep)
                            .append("(")
                            .append(id * 10)
                            .append(",")
                            .append(id)
                            .append(",7,1,10.00),(")
                            .append(id * 10 + 1)
                            .append(",")
                            .append(id)
                            .append(",8,1,15.00)");
                    p.append(sep)
                            .append("('S")
                            .append(id)
                            .append("',")
                            .append(id)
                            .append(",'WECHAT',25.00,'SUCCESS','W")
                            .append(id)
                            .append("',NOW(3),NOW(3))");
                }
                s.execute(o.toString());
                s.execute(i.toString());
                s.execute(p.toString());
            }
        }
    }

    /** Elasticsearch alone: the same documents, bulk-indexed 1000 at a time by two senders (as the job's two writers). */
    private static String esCeiling(String esUrl) throws Exception {
        int n = 40_000;
        try (EsIndex index = new EsIndex(esUrl, "orders-ceiling")) {
            ensureIndex(esUrl, index.name());
            ExecutorService senders = Executors.newFixedThreadPool(2);
            AtomicLong nextBulk = new AtomicLong();
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                done.add(senders.submit(() -> {
                    long from;
                    while ((from = nextBulk.getAndAdd(1000)) < n) {
                        JsonNode r = index.request("POST", "/" + index.name() + "/_bulk", bulkOf(from, from + 1000));
                        if (r.path("errors").asBoolean()) {
                            throw new IllegalStateException(
                                    "ceiling bulk failed: " + r.toString().substring(0, 500));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double s = seconds(start);
            senders.shutdown();
            index.delete();
            return String.format("%.0f", n / s);
        }
    }

    private static String bulkOf(long from, long to) {
        StringBuilder bulk = new StringBuilder();
        for (long id = from; id < to; id++) {
            bulk.append("{\"index\":{\"_id\":\"")
                    .append(id)
                    .append("\",\"version\":")
                    .append(id + 1)
                    .append(",\"version_type\":\"external_gte\"}}\n")
                    .append("{\"orderId\":")
                    .append(id)
                    .append(",\"userId\":7,\"status\":\"PAID\",\"totalAmount\":\"25.00\",\"clientIp\":\"10.0.0.2\",")
                    .append("\"createdAt\":1800000000000,\"updatedAt\":1800000000000,\"items\":[{\"itemId\":")
                    .append(id * 10)
                    .append(",\"skuId\":7,\"quantity\":1,\"unitPrice\":\"10.00\",\"amount\":\"10.00\"},{\"itemId\":")
                    .append(id * 10 + 1)
                    .append(
                            ",\"skuId\":8,\"quantity\":1,\"unitPrice\":\"15.00\",\"amount\":\"15.00\"}],\"payments\":[{\"paymentId\":\"S")
                    .append(id)
                    .append(
                            "\",\"channel\":\"WECHAT\",\"amount\":\"25.00\",\"status\":\"SUCCESS\",\"channelTxnId\":\"W")
                    .append(id)
                    .append(
                            "\",\"createdAt\":1800000000000,\"updatedAt\":1800000000000}],\"paymentStatus\":\"PAID\",\"paidAt\":1800000000000,")
                    .append(
                            "\"paidAmount\":\"25.00\",\"itemCount\":2,\"totalQuantity\":2,\"lastChangeAt\":1800000000000}\n");
        }
        return bulk.toString();
    }

    private static void ensureIndex(String esUrl, String index) throws Exception {
        try (RestClient client = RestClient.builder(OrderIndex.hosts(esUrl)).build()) {
            OrderIndex.ensure(client, index);
        }
    }

    private static String checkpoints(String run) throws java.io.IOException {
        return ScratchDirectories.create("search-bench-" + run).toUri().toString();
    }

    private static Connection connect(ShopDb db) throws SQLException {
        return DriverManager.getConnection(
                db.server().jdbcUrl(db.database()),
                MariaDbServer.SHOP_USER,
                db.server().shopPassword());
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static long quantile(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
