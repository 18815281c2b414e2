package io.paystream.bench;

import io.paystream.channels.SimulatedChannels;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.payments.PaymentsJob;
import io.paystream.jobs.runtime.JobMetrics;
import io.paystream.jobs.runtime.JobOutputs;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.stock.StockLedgerJob;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.RedisServer;
import io.paystream.servers.ScratchDirectories;
import io.paystream.state.ShopTypes;
import io.paystream.state.kafka.KafkaRecord;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.api.graph.StreamNode;

/**
 * The jobs' streaming rates beside the binlog ceiling (issue 15): N orders (4 rows each, with the
 * submit hash and client IP of a checkout) committed to a real MariaDB while no reader runs, read
 * from the binlog (startup at a timestamp before them) first by {@link CdcCeiling}'s counting
 * reader, then by each job's production wiring ({@link JobRunner#wire}: its own CDC source,
 * settings defaults, RocksDB, 2 s exactly-once checkpoints). A job's rate is the N x 4 binlog rows
 * over the time from its first row read (the CDC split operator's first record) to the last row
 * having passed its keyed operators (their {@code numRecordsIn}, polled every millisecond, after
 * which none moves for {@value #QUIET_MS} ms).
 *
 * <ul>
 *   <li><b>payments</b>: the Kafka inputs (callbacks, query answers) are sources that never emit,
 *       into the job's own verification operator; the six outputs and the dead letters discarded.
 *   <li><b>stock-ledger</b>: its Redis sinks real (an embedded Redis 6.2 on this machine), Kafka
 *       outputs (alerts, order commands, dead letters) discarded. It also reads the 50 SKUs'
 *       inventory rows, committed just before the orders (after the startup timestamp).
 * </ul>
 */
final class JobsStreaming {
    private static final long QUIET_MS = 3000;
    private static final long DEADLINE_NANOS = Long.getLong("bench.deadline-seconds", 600) * 1_000_000_000L;
    /** The CDC source's split by table: its first record is the job's first row read. */
    private static final String SPLIT_UID = "shop-cdc-split";

    private JobsStreaming() {}

    static void run(int orders, int parallelism) throws Exception {
        Path dir = ScratchDirectories.create("paystream-bench-streaming");
        long rows = (long) orders * CdcCeiling.ROWS_PER_ORDER;
        try (MariaDbServer db = MariaDbServer.start(dir, 0, "bench", "bench");
                RedisServer redis = RedisServer.start(0)) {
            long before = System.currentTimeMillis();
            Thread.sleep(1500); // binlog timestamps are whole seconds: the new rows come after `before`
            inventory(db);
            double commitRate = CdcCeiling.load(db, 0, orders, true);
            System.out.printf(
                    "MariaDB committed %d rows at %.0f rows/s (batches of 1000 orders, %d SKUs' inventory rows before"
                            + " them); jobs at parallelism %d%n",
                    rows, commitRate, CdcCeiling.SKUS, parallelism);
            String startup = "timestamp:" + before;
            // CdcCeiling reads the binlog after two snapshots: its JVM is warm. So is this one, once
            // the binlog has been read once.
            double cold = CdcCeiling.read(db, 1, startup, 8096, rows);
            System.out.printf("binlog, first read (cold JVM, not the ceiling): %.0f rows/s%n", cold);
            double ceiling = CdcCeiling.read(db, 1, startup, 8096, rows);
            System.out.printf(
                    "binlog ceiling (ShopCdcSource into a counting sink): %d rows at %.0f rows/s (%.2fx MariaDB's commit"
                            + " rate)%n",
                    rows, ceiling, ceiling / commitRate);
            List<String> common = List.of(
                    "--mysql.hostname", db.host(),
                    "--mysql.port", String.valueOf(db.port()),
                    "--mysql.database", MariaDbServer.DATABASE,
                    "--mysql.username", MariaDbServer.CDC_USER,
                    "--mysql.password", db.cdcPassword(),
                    "--mysql.startup-mode", startup,
                    "--parallelism", String.valueOf(parallelism),
                    "--checkpoint.dir",
                            ScratchDirectories.create("paystream-bench-streaming-checkpoints")
                                    .toUri()
                                    .toString());
            report("payments", payments(common, rows), rows, ceiling, commitRate);
            report("stock-ledger", stockLedger(common, redis.uri(), rows + CdcCeiling.SKUS), rows, ceiling, commitRate);
            double again = CdcCeiling.read(db, 1, startup, 8096, rows);
            System.out.printf(
                    "binlog ceiling again, after the jobs: %.0f rows/s (%.2fx the ceiling above)%n",
                    again, again / ceiling);
        }
    }

    private static void report(String job, Measured m, long rows, double ceiling, double commitRate) {
        double rate = rows / m.seconds();
        System.out.printf(
                "%s (production wiring%s): %d rows at %.0f rows/s (%.0f%% of the binlog ceiling, %.2fx MariaDB's commit"
                        + " rate)%n",
                job, m.note(), rows, rate, 100 * rate / ceiling, rate / commitRate);
        System.out.println("  " + m.detail());
    }

    /** The 50 SKUs of the orders' items, half deducted at order, half at payment. */
    private static void inventory(MariaDbServer db) throws Exception {
        try (Connection c = db.shopConnection();
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO inventory (sku_id, name, stock, deduct_mode) VALUES (?, ?, 1000000000, ?)")) {
            for (int k = 0; k < CdcCeiling.SKUS; k++) {
                s.setLong(1, CdcCeiling.FIRST_SKU + k);
                s.setString(2, "sku " + k);
                s.setString(3, k % 2 == 0 ? "ORDER" : "PAYMENT");
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static Measured payments(List<String> common, long rows) throws Exception {
        PaymentsJob job = new PaymentsJob();
        List<String> args = new ArrayList<>(common);
        SimulatedChannels.generate()
                .publish(ScratchDirectories.create("paystream-bench-channel-keys"))
                .forEach((k, v) -> {
                    args.add("--" + k);
                    args.add(v);
                });
        Settings settings = JobRunner.settings(job, args.toArray(new String[0]), Map.of());
        PaymentsJob.Inputs inputs = new PaymentsJob.Inputs(settings) {
            @Override
            public DataStream<KafkaRecord> callbacks(StreamExecutionEnvironment env) {
                return idle(env, "callbacks-source", "Channel callbacks (none)");
            }

            @Override
            public DataStream<KafkaRecord> queryAnswers(StreamExecutionEnvironment env) {
                return idle(env, "query-results-source", "Query answers (none)");
            }
        };
        StreamExecutionEnvironment env = env(settings);
        PaymentsJob.Outputs out = JobRunner.wire(job, settings, env, inputs);
        discard(out, out.byName().keySet());
        // The job reads orders and payments (no refunds here): 2 of each order's 4 rows.
        return measure(
                env,
                "jobs-streaming payments",
                rows / 2,
                List.of(
                        PaymentsJob.PAYMENT_TIMEOUTS_UID,
                        PaymentsJob.ORDER_PAID_TIMEOUTS_UID,
                        PaymentsJob.REFUND_TIMEOUTS_UID,
                        PaymentsJob.REFUNDS_EXCEED_PAYMENT_UID),
                "; callbacks and query answers: sources that emit nothing; outputs discarded");
    }

    private static Measured stockLedger(List<String> common, String redisUri, long jobRows) throws Exception {
        StockLedgerJob job = new StockLedgerJob();
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of("--redis.uri", redisUri));
        Settings settings = JobRunner.settings(job, args.toArray(new String[0]), Map.of());
        StreamExecutionEnvironment env = env(settings);
        StockLedgerJob.Outputs out = JobRunner.wire(job, settings, env, job.inputs(settings));
        StockLedgerJob.sinkToRedis(out, settings);
        discard(out, List.of("alerts", "order-commands", JobOutputs.DEAD_LETTERS));
        return measure(
                env,
                "jobs-streaming stock-ledger",
                jobRows,
                List.of(
                        StockLedgerJob.ORDER_STOCK_UID,
                        StockLedgerJob.STOCK_LEDGER_UID,
                        "duplicate-submissions",
                        "unpaid-order-risk"),
                "; Redis sinks real (embedded Redis 6.2), Kafka outputs discarded");
    }

    private static StreamExecutionEnvironment env(Settings settings) throws Exception {
        return BenchEnv.create(settings.get(PaystreamOptions.PARALLELISM), JobMetrics.enable(new Configuration()));
    }

    private static void discard(JobOutputs out, Collection<String> names) {
        out.byName().forEach((name, stream) -> {
            if (names.contains(name)) {
                discard(stream, name);
            }
        });
    }

    private static <T> void discard(DataStream<T> stream, String name) {
        stream.sinkTo(new DiscardingSink<>()).uid("bench-discard-" + name).name("Discard " + name);
    }

    /** A Kafka input with no records: an unbounded source that never emits (the job keeps running). */
    private static DataStream<KafkaRecord> idle(StreamExecutionEnvironment env, String uid, String name) {
        return env.addSource(new Idle(), name, ShopTypes.KAFKA_RECORD).uid(uid);
    }

    /**
     * Runs the job until its split operator has passed {@code jobRows} rows and its keyed operators
     * {@code keyedUids} have been still for {@link #QUIET_MS}: the time from the split's first
     * record to the keyed operators' last.
     */
    private static Measured measure(
            StreamExecutionEnvironment env, String name, long jobRows, List<String> keyedUids, String note)
            throws Exception {
        String split = operatorName(env, SPLIT_UID);
        Map<String, String> keyed = new LinkedHashMap<>();
        for (String uid : keyedUids) {
            keyed.put(uid, operatorName(env, uid));
        }
        JobClient client = env.executeAsync(name);
        try {
            long start = System.nanoTime();
            long first = 0;
            long last = 0;
            Map<String, Long> counts = new LinkedHashMap<>();
            keyed.values().forEach(n -> counts.put(n, 0L));
            Map<String, Long> lastOf = new LinkedHashMap<>();
            Sample atFirst = null;
            Sample atLast = null;
            long busySampledAt = 0;
            long progressAt = start;
            long readAll = 0;
            while (true) {
                long now = System.nanoTime();
                if (now - progressAt > 10_000_000_000L) {
                    progressAt = now;
                    if (client.getJobStatus().get().isGloballyTerminalState()) {
                        client.getJobExecutionResult().get(); // throws the job's failure
                        throw new IllegalStateException(name + " ended");
                    }
                    System.err.printf(
                            "%s: split %d of %d rows, keyed operators %s%n",
                            name, JobMetrics.operatorValue(name, split, "numRecordsIn"), jobRows, counts);
                    if (first == 0) {
                        System.err.println("  operators: " + JobMetrics.operators(name, "numRecordsIn"));
                    }
                }
                if (now - start > DEADLINE_NANOS) {
                    throw new IllegalStateException(name + ": split passed "
                            + JobMetrics.operatorValue(name, split, "numRecordsIn")
                            + " of " + jobRows + " rows, keyed operators " + counts + " after 10 min; operators: "
                            + JobMetrics.operators(name, "numRecordsIn"));
                }
                if (first == 0 && JobMetrics.operatorValue(name, split, "numRecordsIn") > 0) {
                    first = now;
                    atFirst = sample(name, split, keyed.values());
                }
                boolean moved = false;
                for (Map.Entry<String, Long> e : counts.entrySet()) {
                    long v = JobMetrics.operatorValue(name, e.getKey(), "numRecordsIn");
                    if (v != e.getValue()) {
                        e.setValue(v);
                        lastOf.put(e.getKey(), now);
                        moved = true;
                    }
                }
                if (moved) {
                    last = now;
                    if (now - busySampledAt > 50_000_000L) {
                        atLast = sample(name, split, keyed.values());
                        busySampledAt = now;
                    }
                }
                // The split counts the rows and the end-of-snapshot marker the source emits first.
                if (readAll == 0 && first != 0 && JobMetrics.operatorValue(name, split, "numRecordsIn") > jobRows) {
                    readAll = now;
                }
                if (readAll != 0 && last != 0 && now - Math.max(last, readAll) > QUIET_MS * 1_000_000L) {
                    break;
                }
                LockSupport.parkNanos(1_000_000L);
            }
            StringJoiner detail = new StringJoiner("; ");
            detail.add(
                    String.format("%d rows of its tables read, %.2f s first to last", jobRows, (last - first) / 1e9));
            StringJoiner in = new StringJoiner(", ", "rows into keyed operators (its last at): ", "");
            long firstNanos = first;
            counts.forEach((op, v) -> in.add(String.format(
                    "%s %d (%s)",
                    op,
                    v,
                    lastOf.containsKey(op) ? String.format("%.2f s", (lastOf.get(op) - firstNanos) / 1e9) : "-")));
            detail.add(in.toString());
            if (atFirst != null && atLast != null && atLast.nanos() > atFirst.nanos()) {
                detail.add(cpu(atFirst, atLast));
                detail.add(busyShare(atFirst.tasks(), atLast.tasks()));
            }
            return new Measured((last - first) / 1e9, note, detail.toString());
        } finally {
            client.cancel().get();
        }
    }

    private static String operatorName(StreamExecutionEnvironment env, String uid) {
        for (StreamNode node : env.getStreamGraph(false).getStreamNodes()) {
            if (uid.equals(node.getTransformationUID())) {
                String n = node.getOperatorName();
                // Flink's operator metric groups cut names at 80 characters.
                return n.length() > 80 ? n.substring(0, 80) : n;
            }
        }
        throw new IllegalStateException("no operator with uid " + uid);
    }

    /**
     * Per task holding the split or a keyed operator (by its chain's name): accumulated busy,
     * back-pressured and idle ms, over its subtasks.
     */
    private static Map<String, long[]> busy(String job, String split, Collection<String> keyed) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (String task : JobMetrics.tasks(job, "accumulateBusyTimeMs")) {
            if (task.contains(split) || keyed.stream().anyMatch(task::contains)) {
                m.put(task, new long[] {
                    JobMetrics.taskValue(job, task, "accumulateBusyTimeMs"),
                    JobMetrics.taskValue(job, task, "accumulateBackPressuredTimeMs"),
                    JobMetrics.taskValue(job, task, "accumulateIdleTimeMs")
                });
            }
        }
        return m;
    }

    private static String busyShare(Map<String, long[]> from, Map<String, long[]> to) {
        StringJoiner j =
                new StringJoiner(", ", "tasks busy/back-pressured (share of their time, first to last row): ", "");
        to.forEach((task, t) -> {
            long[] f = from.getOrDefault(task, new long[3]);
            double busy = t[0] - f[0];
            double back = t[1] - f[1];
            double total = busy + back + (t[2] - f[2]);
            if (total > 0) {
                j.add(String.format("[%s] %.0f%%/%.0f%%", task, 100 * busy / total, 100 * back / total));
            }
        });
        return j.toString();
    }

    private record Measured(double seconds, String note, String detail) {}

    /** The tasks' accumulated times, this JVM's CPU time and the machine's busy and total jiffies, at one moment. */
    private record Sample(
            Map<String, long[]> tasks, long jvmCpuNanos, long machineBusy, long machineTotal, long nanos) {}

    private static Sample sample(String job, String split, Collection<String> keyed) {
        long busy = 0;
        long total = 0;
        try {
            // cpu  user nice system idle iowait irq softirq steal ...
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i != 4 && i != 5) {
                    busy += v;
                }
            }
        } catch (Exception e) {
            // not Linux: the machine's share is left out
        }
        long jvm = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
        return new Sample(busy(job, split, keyed), jvm, busy, total, System.nanoTime());
    }

    private static String cpu(Sample from, Sample to) {
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        String jvm = String.format(
                "this JVM %.2f of %d cores",
                (to.jvmCpuNanos() - from.jvmCpuNanos()) / 1e9 / seconds,
                Runtime.getRuntime().availableProcessors());
        long total = to.machineTotal() - from.machineTotal();
        return total <= 0
                ? jvm
                : String.format(
                        "machine CPU %.0f%% busy (all processes), %s",
                        100.0 * (to.machineBusy() - from.machineBusy()) / total, jvm);
    }

    /** Emits nothing until cancelled. */
    static final class Idle implements SourceFunction<KafkaRecord> {
        private static final long serialVersionUID = 1L;
        private volatile boolean running = true;

        @Override
        public void run(SourceContext<KafkaRecord> ctx) throws Exception {
            while (running) {
                Thread.sleep(100);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }
}
