package io.paystream.jobs.tools.consistency;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The stock ledger's counts recomputed from MySQL by plain SQL (the contract schema's tables),
 * independently of the job's code, and the counts Redis holds, both as {@code
 * total/reserved/sold/available} by SKU: once the job has caught up they are equal (docs/contract.md,
 * "Redis keys"). The stock-ledger tests and the fault soak compare them.
 */
public final class StockFromMySql {
    private StockFromMySql() {}

    /** Counts by SKU from one consistent read of inventory, orders, items and payments. */
    public static Map<Long, String> recompute(Connection c) throws SQLException {
        Map<Long, long[]> bySku = new TreeMap<>(); // total, reserved, sold
        Map<Long, String> mode = new HashMap<>();
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        c.setAutoCommit(false); // one consistent read of all tables
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT sku_id, stock, deduct_mode FROM inventory")) {
                while (rs.next()) {
                    bySku.put(rs.getLong(1), new long[] {rs.getLong(2), 0, 0});
                    mode.put(rs.getLong(1), rs.getString(3));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT i.sku_id, i.quantity, "
                    + "CASE WHEN o.status IN ('CANCELLED', 'CLOSED') THEN 'RELEASED' "
                    + "     WHEN o.status = 'PAID' OR EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.order_id AND p.status = 'SUCCESS') THEN 'PAID' "
                    + "     ELSE 'OPEN' END "
                    + "FROM order_items i JOIN orders o ON o.order_id = i.order_id")) {
                while (rs.next()) {
                    long[] t = bySku.computeIfAbsent(rs.getLong(1), k -> new long[3]);
                    String phase = rs.getString(3);
                    if (phase.equals("PAID")) {
                        t[2] += rs.getLong(2);
                    } else if (phase.equals("OPEN") && !"PAYMENT".equals(mode.get(rs.getLong(1)))) {
                        t[1] += rs.getLong(2);
                    }
                }
            }
            c.commit();
        } finally {
            c.setAutoCommit(autoCommit);
            c.setTransactionIsolation(isolation);
        }
        Map<Long, String> out = new TreeMap<>();
        bySku.forEach((sku, t) -> out.put(sku, t[0] + "/" + t[1] + "/" + t[2] + "/" + (t[0] - t[1] - t[2])));
        return out;
    }

    /** What Redis holds under {@code prefix + "stock:*"}, in the same form. */
    public static Map<Long, String> inRedis(Jedis redis, String prefix) {
        Map<Long, String> out = new TreeMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> r = redis.scan(
                    cursor, new ScanParams().match(prefix + "stock:*").count(1000));
            for (String key : r.getResult()) {
                Map<String, String> h = redis.hgetAll(key);
                out.put(
                        Long.parseLong(key.substring((prefix + "stock:").length())),
                        h.get("total") + "/" + h.get("reserved") + "/" + h.get("sold") + "/" + h.get("available"));
            }
            cursor = r.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }
}
