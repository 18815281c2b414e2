package io.paystream.bench;

import io.paystream.functions.payments.PaymentTimeouts;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.ScratchDirectories;
import io.paystream.state.cdc.RowChange;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Detection lag (deadline to re-query emitted) with many open payments, and bytes of state per
 * open payment; beside a scheduled-scan baseline on the same workload: a poller running
 * {@code SELECT ... WHERE status = 'PAYING' AND updated_at ...} against MariaDB every N seconds.
 */
final class DetectionLag {
    private static final long FIRST_OFFSET_MS = 10_000;
    private static final long SPREAD_MS = 60_000;
    static AtomicLongArray lags;
    static final AtomicInteger SEEN = new AtomicInteger();

    private DetectionLag() {}

    static void run(int payments, int parallelism, int pollSeconds) throws Exception {
        System.out.printf(
                "detection lag: %,d open payments, first re-query deadlines spread over %d s, parallelism %d%n",
                payments, SPREAD_MS / 1000, parallelism);
        flink(payments, parallelism);
        poller(payments, pollSeconds);
    }

    static void flink(int payments, int parallelism) throws Exception {
        lags = new AtomicLongArray(payments);
        SEEN.set(0);
        HoldingSequence.STOP.set(false);
        HoldingSequence.EMITTED.set(0);
        // Deadlines start 45 s from now (time to ingest every row and take the savepoint first)
        // and spread over 60 s.
        long base = System.currentTimeMillis() + 45_000 - FIRST_OFFSET_MS;
        StreamExecutionEnvironment env = BenchEnv.create(parallelism);
        DataStream<RowChange<PaymentRow>> rows = env.addSource(
                        new HoldingSequence(payments), "open payments", Types.LONG)
                .map((MapFunction<Long, RowChange<PaymentRow>>)
                        i -> Workload.row(i, PaymentStatus.PAYING, base + i * SPREAD_MS / payments, i + 1))
                .returns(io.paystream.state.ShopTypes.PAYMENT_CHANGE);
        DataStream<PaymentNotification> none = env.fromSequence(0, 0)
                .filter(i -> false)
                .map(i -> new PaymentNotification())
                .returns(io.paystream.state.ShopTypes.PAYMENT_NOTIFICATION);
        SingleOutputStreamOperator<RequeryCommand> commands = rows.keyBy(c -> c.row().paymentId, Types.STRING)
                .connect(none.keyBy(n -> n.paymentId, Types.STRING))
                .process(
                        PaymentTimeouts.builder().requerySchedule("10s,1h,2h").build(),
                        TypeInformation.of(RequeryCommand.class));
        commands.sinkTo(new LagSink());
        commands.getSideOutput(PaymentTimeouts.ALERTS).sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("detection lag");

        long t0 = System.nanoTime();
        while (HoldingSequence.EMITTED.get() < payments) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        System.out.printf("  ingested %,d PAYING rows in %.1f s%n", payments, (System.nanoTime() - t0) / 1e9);
        Path savepoints = ScratchDirectories.create("paystream-bench-savepoint");
        String savepoint = job.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.NATIVE)
                .get(5, TimeUnit.MINUTES);
        long bytes = BenchEnv.directorySize(Path.of(java.net.URI.create(savepoint)));
        System.out.printf(
                "  state of %,d open payments (native RocksDB savepoint, timers included): %,d bytes = %.1f bytes per open payment%n",
                payments, bytes, (double) bytes / payments);
        while (SEEN.get() < payments) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        HoldingSequence.STOP.set(true);
        job.cancel().get();
        long[] sorted = new long[payments];
        for (int i = 0; i < payments; i++) {
            sorted[i] = lags.get(i);
        }
        report("paystream (processing-time timers, RocksDB)", sorted);
    }

    static void poller(int payments, int pollSeconds) throws Exception {
        Path dir = ScratchDirectories.create("paystream-bench-mariadb");
        try (MariaDbServer db = MariaDbServer.start(dir, 0, "bench", "bench");
                Connection c = db.rootConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("USE shop");
            }
            // Deadlines start once every row is in (measured) and spread over 60 s.
            long insertStart = System.currentTimeMillis();
            long guess = insertStart + 150_000; // rows go in long before their deadlines
            c.setAutoCommit(false);
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO payments (payment_id, order_id, channel, amount, status, updated_at) VALUES (?, ?, 'WECHAT', 1.00, 'PAYING', ?)")) {
                for (int i = 0; i < payments; i++) {
                    ins.setString(1, Workload.paymentId(i));
                    ins.setLong(2, i);
                    // As text: Connector/J takes MariaDB for MySQL 5.5 and would drop the milliseconds.
                    ins.setString(3, sqlTime(guess - FIRST_OFFSET_MS + (long) i * SPREAD_MS / payments));
                    ins.addBatch();
                    if (i % 5000 == 4999) {
                        ins.executeBatch();
                        c.commit();
                    }
                }
                ins.executeBatch();
                c.commit();
            }
            c.setAutoCommit(true);
            System.out.printf(
                    "  baseline: %,d PAYING rows inserted into MariaDB in %.1f s (index on status, updated_at)%n",
                    payments, (System.currentTimeMillis() - insertStart) / 1e3);
            long[] found = new long[payments];
            int n = 0;
            long lastCut = guess - FIRST_OFFSET_MS - 1;
            long queryMillis = 0;
            int polls = 0;
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT payment_id, updated_at FROM payments WHERE status = 'PAYING' AND updated_at > ? AND updated_at <= ?")) {
                while (n < payments) {
                    long now = System.currentTimeMillis();
                    long cut = now - FIRST_OFFSET_MS;
                    if (cut > lastCut) {
                        long started = System.currentTimeMillis();
                        q.setString(1, sqlTime(lastCut));
                        q.setString(2, sqlTime(cut));
                        int before = n;
                        try (ResultSet rs = q.executeQuery()) {
                            long seenAt = 0;
                            while (rs.next()) {
                                found[n++] = parseSqlTime(rs.getString(2)) + FIRST_OFFSET_MS;
                            }
                            seenAt = System.currentTimeMillis();
                            for (int k = before; k < n; k++) {
                                found[k] = seenAt - found[k]; // lag: deadline to the poller seeing it
                            }
                        }
                        queryMillis += System.currentTimeMillis() - started;
                        polls += n > before ? 1 : 0;
                        lastCut = cut;
                    }
                    long next = now + pollSeconds * 1000L;
                    LockSupport.parkNanos(
                            TimeUnit.MILLISECONDS.toNanos(Math.max(1, next - System.currentTimeMillis())));
                }
            }
            report(
                    "scheduled scan every " + pollSeconds + " s (MariaDB, " + polls + " polls with rows, "
                            + (polls == 0 ? 0 : queryMillis / polls) + " ms per poll)",
                    found);
        }
    }

    private static final java.time.format.DateTimeFormatter SQL_TIME = java.time.format.DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(java.time.ZoneOffset.UTC);

    private static final java.time.format.DateTimeFormatter SQL_TIME_IN =
            new java.time.format.DateTimeFormatterBuilder()
                    .appendPattern("yyyy-MM-dd HH:mm:ss")
                    .optionalStart()
                    .appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .toFormatter();

    private static long parseSqlTime(String text) {
        return java.time.LocalDateTime.parse(text, SQL_TIME_IN)
                .toInstant(java.time.ZoneOffset.UTC)
                .toEpochMilli();
    }

    private static String sqlTime(long epochMs) {
        return SQL_TIME.format(java.time.Instant.ofEpochMilli(epochMs));
    }

    private static void report(String what, long[] lags) {
        Arrays.sort(lags);
        System.out.printf(
                "  %s: detection lag p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms%n",
                what,
                lags[lags.length / 2],
                lags[(int) (lags.length * 0.99)],
                lags[(int) (lags.length * 0.999)],
                lags[lags.length - 1]);
    }

    /** Records each command's lag (emitted minus due) in the shared array. */
    static final class LagSink implements Sink<RequeryCommand> {
        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<RequeryCommand> createWriter(InitContext context) {
            return writer();
        }

        @Override
        public SinkWriter<RequeryCommand> createWriter(WriterInitContext context) {
            return writer();
        }

        private static SinkWriter<RequeryCommand> writer() {
            return new SinkWriter<>() {
                @Override
                public void write(RequeryCommand c, Context context) {
                    int i = SEEN.getAndIncrement();
                    if (i < lags.length()) {
                        lags.set(i, c.emittedAt - c.dueAt);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
