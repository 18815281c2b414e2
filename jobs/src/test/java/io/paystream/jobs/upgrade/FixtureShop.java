package io.paystream.jobs.upgrade;

import io.paystream.servers.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The shop the savepoint fixtures were taken over: a fixed, deterministic sequence of statements
 * on a freshly started MariaDB's {@code shop} database.
 *
 * <p>Why deterministic: a job's CDC source keeps the binlog file and position it had read up to.
 * The compatibility test starts another fresh MariaDB and runs the same statements, so the binlog
 * holds the same events at the same positions and the restored position is a real event boundary
 * of that server. Only the row times differ (the test passes its own {@code at}): every timestamp
 * is a literal of fixed width, so the events keep their sizes. The test checks the binlog position
 * before restoring ({@link #binlogEnd}) instead of trusting this.
 *
 * <p>What the fixtures hold (ids used by the compatibility test and the savepoint report test):
 * <ul>
 *   <li>payments: {@code FIX-P1} (order 101, WECHAT, 88.00) PAYING, its re-queries pending;
 *       {@code FIX-P2} (order 102, ALIPAY, 120.50) SUCCESS with its outcome published from a
 *       callback, while order 102 is still CREATED (a re-notify pending); {@code FIX-P3}
 *       (order 103, UNIONPAY, 15.00) FAILED.</li>
 *   <li>stock: SKU 7001 (stock 100, deduct on order) with order 110 holding 3 unpaid (expiry
 *       pending); SKU 7002 (stock 10, deduct on payment) with order 111 paid for 2.</li>
 *   <li>search: order 120 with items 1201 (SKU 7001 x1) and 1202 (SKU 7002 x2) and payment
 *       {@code FIX-P120} SUCCESS.</li>
 *   <li>reconciliation (with the day's bills, {@link FixtureJobs#writeFixtureBills}): {@code
 *       FIX-P120} and {@code FIX-P2} MATCHED; bill lines of {@code FIX-P4} and {@code FIX-P113}
 *       (rows of {@link #afterRestore}) waiting for the shop; {@code FIX-P111} held LOCAL_ONLY
 *       for the bills of its pending days.</li>
 * </ul>
 */
final class FixtureShop {
    static final String PAYING = "FIX-P1";
    static final String SETTLED = "FIX-P2";
    static final String FAILED = "FIX-P3";
    static final long PAYING_ORDER = 101;
    static final long SETTLED_ORDER = 102;
    static final long SETTLED_CENTS = 12_050;
    static final long SKU_ON_ORDER = 7001;
    static final long SKU_ON_PAYMENT = 7002;
    static final long UNPAID_ORDER = 110;
    static final long PAID_ORDER = 111;
    static final long SEARCH_ORDER = 120;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private FixtureShop() {}

    /** Rows present before the jobs start: the jobs read them by snapshot. */
    static List<String> beforeStart(long at) {
        String t = quote(at);
        return List.of(
                "INSERT INTO inventory VALUES (7001, 'tea cup', 100, 'ORDER', NULL, " + t + ")",
                "INSERT INTO inventory VALUES (7002, 'tea pot', 10, 'PAYMENT', NULL, " + t + ")",
                "INSERT INTO orders VALUES (101, 1, 'CREATED', 88.00, NULL, '10.0.0.1', " + t + ", " + t + ")",
                "INSERT INTO payments VALUES ('FIX-P1', 101, 'WECHAT', 88.00, 'PAYING', NULL, " + t + ", " + t + ")",
                "INSERT INTO orders VALUES (102, 2, 'CREATED', 120.50, NULL, '10.0.0.2', " + t + ", " + t + ")",
                "INSERT INTO payments VALUES ('FIX-P2', 102, 'ALIPAY', 120.50, 'PAYING', NULL, " + t + ", " + t + ")",
                "INSERT INTO orders VALUES (103, 3, 'CREATED', 15.00, NULL, '10.0.0.3', " + t + ", " + t + ")",
                "INSERT INTO payments VALUES ('FIX-P3', 103, 'UNIONPAY', 15.00, 'PAYING', NULL, " + t + ", " + t + ")");
    }

    /** Changes after the jobs started: the jobs read them from the binlog. One transaction each. */
    static List<String> afterStart(long at) {
        String t = quote(at);
        return List.of(
                "UPDATE payments SET status = 'SUCCESS', channel_txn_id = 'FIX-TXN-2', updated_at = " + t
                        + " WHERE payment_id = 'FIX-P2'",
                "UPDATE payments SET status = 'FAILED', updated_at = " + t + " WHERE payment_id = 'FIX-P3'",
                "INSERT INTO orders VALUES (110, 10, 'CREATED', 30.00, NULL, '10.0.0.10', " + t + ", " + t + ")",
                "INSERT INTO order_items VALUES (1101, 110, 7001, 3, 10.00)",
                "INSERT INTO orders VALUES (111, 11, 'CREATED', 40.00, NULL, '10.0.0.11', " + t + ", " + t + ")",
                "INSERT INTO order_items VALUES (1111, 111, 7002, 2, 20.00)",
                "INSERT INTO payments VALUES ('FIX-P111', 111, 'WECHAT', 40.00, 'SUCCESS', 'FIX-TXN-111', " + t + ", "
                        + t + ")",
                "UPDATE orders SET status = 'PAID', updated_at = " + t + " WHERE order_id = 111",
                "INSERT INTO orders VALUES (120, 20, 'CREATED', 50.00, NULL, '10.0.0.20', " + t + ", " + t + ")",
                "INSERT INTO order_items VALUES (1201, 120, 7001, 1, 10.00)",
                "INSERT INTO order_items VALUES (1202, 120, 7002, 2, 20.00)",
                "INSERT INTO payments VALUES ('FIX-P120', 120, 'WECHAT', 50.00, 'SUCCESS', 'FIX-TXN-120', " + t + ", "
                        + t + ")");
    }

    /**
     * What the shop did while the jobs were down (after the fixtures were taken): the restored jobs
     * read it from the binlog, right after the position in their state.
     */
    static List<String> afterRestore(long at) {
        String t = quote(at);
        return List.of(
                "INSERT INTO orders VALUES (104, 4, 'CREATED', 66.00, NULL, '10.0.0.4', " + t + ", " + t + ")",
                "INSERT INTO payments VALUES ('FIX-P4', 104, 'WECHAT', 66.00, 'SUCCESS', 'FIX-TXN-4', " + t + ", " + t
                        + ")",
                "INSERT INTO orders VALUES (112, 12, 'CREATED', 50.00, NULL, '10.0.0.12', " + t + ", " + t + ")",
                "INSERT INTO order_items VALUES (1121, 112, 7001, 5, 10.00)",
                "INSERT INTO orders VALUES (113, 13, 'CREATED', 20.00, NULL, '10.0.0.13', " + t + ", " + t + ")",
                "INSERT INTO order_items VALUES (1131, 113, 7002, 1, 20.00)",
                "INSERT INTO payments VALUES ('FIX-P113', 113, 'ALIPAY', 20.00, 'SUCCESS', 'FIX-TXN-113', " + t + ", "
                        + t + ")",
                "UPDATE orders SET status = 'PAID', updated_at = " + t + " WHERE order_id = 120");
    }

    /** Runs statements as the shop application, one transaction each. */
    static void run(MariaDbServer server, List<String> statements) throws SQLException {
        try (Connection c = server.shopConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** {@code file:position} of the end of the server's binlog. */
    static String binlogEnd(MariaDbServer server) throws SQLException {
        try (Connection c = server.rootConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW MASTER STATUS")) {
            if (!r.next()) {
                throw new IllegalStateException("the server has no binlog");
            }
            return r.getString(1) + ":" + r.getLong(2);
        }
    }

    static String quote(long epochMs) {
        return "'" + TIME.format(Instant.ofEpochMilli(epochMs)) + "'";
    }
}
