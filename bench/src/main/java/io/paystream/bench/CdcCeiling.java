package io.paystream.bench;

import io.paystream.jobs.cdc.ShopCdcSource;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.ScratchDirectories;
import io.paystream.state.ShopTypes;
import io.paystream.state.cdc.ShopChange;
import io.paystream.state.cdc.ShopTable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;

/**
 * The CDC ceiling (issue 15): rows/s from MariaDB through {@link ShopCdcSource} (Flink CDC's
 * MySqlSource and paystream's typed deserializer, the jobs' own source) into a sink that only
 * counts, so nothing downstream holds it back. Three figures, each beside MariaDB's own commit rate
 * of the same rows in the same run:
 *
 * <ul>
 *   <li><b>snapshot</b>, at 1 and 2 readers: N orders (4 rows each: the order, two items, a
 *       payment) read by the initial snapshot, timed from the first row to the last;</li>
 *   <li><b>binlog</b>: N more orders committed while no reader runs, then read from the binlog
 *       (startup at a timestamp before them) as fast as the reader can.</li>
 * </ul>
 */
final class CdcCeiling {
    static final int ROWS_PER_ORDER = 4;
    /** The SKUs of the orders' items: 1000 to 1049. */
    static final int FIRST_SKU = 1000;

    static final int SKUS = 50;
    static final AtomicLong RECEIVED = new AtomicLong();
    static final AtomicLong FIRST_NANOS = new AtomicLong();
    static final AtomicLong LAST_NANOS = new AtomicLong();

    private CdcCeiling() {}

    static void run(int orders, int chunkSize) throws Exception {
        Path dir = ScratchDirectories.create("paystream-bench-cdc");
        try (MariaDbServer db = MariaDbServer.start(dir, 0, "bench", "bench")) {
            double commitRate = load(db, 0, orders, false);
            long rows = (long) orders * ROWS_PER_ORDER;
            System.out.printf(
                    "MariaDB committed %d rows at %.0f rows/s (batches of 1000 orders); snapshot chunks of %d rows%n",
                    rows, commitRate, chunkSize);
            for (int readers : new int[] {1, 2}) {
                double rate = read(db, readers, "initial", chunkSize, rows);
                System.out.printf(
                        "snapshot, %d reader(s): %d rows at %.0f rows/s (%.2fx MariaDB's commit rate)%n",
                        readers, rows, rate, rate / commitRate);
            }
            long before = System.currentTimeMillis();
            Thread.sleep(1500); // binlog timestamps are whole seconds: the new rows come after `before`
            double binlogCommitRate = load(db, orders, orders, false);
            double rate = read(db, 1, "timestamp:" + before, chunkSize, rows);
            System.out.printf(
                    "binlog: %d rows at %.0f rows/s, MariaDB committed them at %.0f rows/s (%.2fx)%n",
                    rows, rate, binlogCommitRate, rate / binlogCommitRate);
        }
    }

    /**
     * Commits {@code orders} orders from {@code first} in batches of 1000 (each order, its two items
     * and its PAYING payment); returns rows/s. With {@code submitted}, each order also has the
     * {@code submit_hash} and {@code client_ip} a shop's checkout writes (the stock ledger's
     * duplicate and risk checks read them).
     */
    static double load(MariaDbServer db, int first, int orders, boolean submitted) throws Exception {
        long start = System.nanoTime();
        try (Connection c = db.shopConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement o = c.prepareStatement(
                            "INSERT INTO orders (order_id, user_id, status, total_amount, submit_hash, client_ip)"
                                    + " VALUES (?, ?, 'CREATED', 30.00, ?, ?)");
                    PreparedStatement i = c.prepareStatement(
                            "INSERT INTO order_items (item_id, order_id, sku_id, quantity, unit_price) VALUES (?, ?, ?, 1, 15.00)");
                    PreparedStatement p = c.prepareStatement(
                            "INSERT INTO payments (payment_id, order_id, channel, amount, status) VALUES (?, ?, 'WECHAT', 30.00, 'PAYING')")) {
                for (int n = first; n < first + orders; n++) {
                    long orderId = 1_000_000L + n;
                    o.setLong(1, orderId);
                    o.setLong(2, n % 5000);
                    o.setString(3, submitted ? String.format("%064x", orderId) : null);
                    o.setString(4, submitted ? "10." + (n % 200) + "." + (n % 250) + "." + (n % 7) : null);
                    o.addBatch();
                    for (int k = 0; k < 2; k++) {
                        i.setLong(1, orderId * 10 + k);
                        i.setLong(2, orderId);
                        i.setLong(3, FIRST_SKU + (n + k) % SKUS);
                        i.addBatch();
                    }
                    p.setString(1, "P" + orderId);
                    p.setLong(2, orderId);
                    p.addBatch();
                    if ((n - first) % 1000 == 999 || n == first + orders - 1) {
                        o.executeBatch();
                        i.executeBatch();
                        p.executeBatch();
                        c.commit();
                    }
                }
            }
        }
        return (double) orders * ROWS_PER_ORDER / ((System.nanoTime() - start) / 1e9);
    }

    /** Reads until {@code rows} arrived; returns rows/s from the first row to the last. */
    static double read(MariaDbServer db, int readers, String startup, int chunkSize, long rows) throws Exception {
        Settings settings = Settings.load(
                new String[] {
                    "--mysql.hostname",
                    db.host(),
                    "--mysql.port",
                    String.valueOf(db.port()),
                    "--mysql.database",
                    "shop",
                    "--mysql.username",
                    MariaDbServer.CDC_USER,
                    "--mysql.password",
                    db.cdcPassword(),
                    "--mysql.startup-mode",
                    startup,
                    "--mysql.snapshot-chunk-size",
                    String.valueOf(chunkSize)
                },
                Map.of(),
                PaystreamOptions.declaredIn(PaystreamOptions.class));
        StreamExecutionEnvironment env = BenchEnv.create(readers);
        env.fromSource(
                        ShopCdcSource.fromSettings(settings, "cdc-ceiling", "5701-5704")
                                .tables(ShopTable.ORDERS, ShopTable.ORDER_ITEMS, ShopTable.PAYMENTS)
                                .build()
                                .single(),
                        WatermarkStrategy.noWatermarks(),
                        "shop changes",
                        ShopTypes.SHOP_CHANGE)
                .setParallelism(readers)
                .addSink(new Counting())
                .name("count")
                .setParallelism(readers);
        RECEIVED.set(0);
        FIRST_NANOS.set(0);
        JobClient job = env.executeAsync("cdc-ceiling");
        try {
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (RECEIVED.get() < rows) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + RECEIVED.get() + " of " + rows + " rows in 10 min");
                }
                Thread.sleep(50);
            }
        } finally {
            job.cancel().get();
        }
        return rows / ((LAST_NANOS.get() - FIRST_NANOS.get()) / 1e9);
    }

    /** Counts rows (not the source's end-of-snapshot marker); the first and the last arrival give the read rate. */
    static final class Counting implements SinkFunction<ShopChange> {
        private static final long serialVersionUID = 1L;

        @Override
        public void invoke(ShopChange value, Context context) {
            if (value.snapshotEndedOn != null) {
                return;
            }
            long now = System.nanoTime();
            FIRST_NANOS.compareAndSet(0, now);
            LAST_NANOS.set(now);
            RECEIVED.incrementAndGet();
        }
    }
}
