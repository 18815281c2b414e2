package io.paystream.jobs.search;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random inserts, updates and deletes across orders, order_items, payments and refunds, one transaction per
 * step, the way a shop and its back office write them, plus the awkward cases: children inserted
 * before their order (in earlier transactions), orders deleted with or without their children,
 * deleted order ids inserted again, items moved between orders, and now and then an order
 * Elasticsearch must refuse (a client_ip that is no IP address).
 */
final class RandomOrderWorkload {
    private static final String[] ORDER_STATUS = {"CREATED", "PAID", "CANCELLED", "CLOSED"};
    private static final String[] CHANNELS = {"WECHAT", "ALIPAY", "UNIONPAY"};
    private static final String[] PAYMENT_STATUS = {"CREATED", "PAYING", "SUCCESS", "FAILED", "CLOSED"};
    private static final String[] REFUND_STATUS = {"REFUNDING", "SUCCESS", "SUCCESS", "FAILED", "CLOSED"};

    private final Random random;
    private final long firstOrderId;
    private long nextOrderId;
    private long nextItemId;
    private long nextPayment;
    private long nextRefund;
    /** Orders that exist, or were deleted, or whose children exist before them. */
    private final List<Long> live = new ArrayList<>();

    private final List<Long> deleted = new ArrayList<>();
    private final List<Long> awaited = new ArrayList<>();
    private final List<Long> rejected = new ArrayList<>();
    int steps;

    RandomOrderWorkload(long seed, long firstOrderId) {
        this.random = new Random(seed);
        this.firstOrderId = firstOrderId;
        this.nextOrderId = firstOrderId;
        this.nextItemId = firstOrderId * 10;
        this.nextPayment = firstOrderId;
        this.nextRefund = firstOrderId;
    }

    /** Order ids inserted with a client_ip Elasticsearch refuses. */
    List<Long> rejectedOrders() {
        return rejected;
    }

    /** Runs {@code n} random steps, each in its own transaction. */
    void run(Connection c, int n) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < n; i++) {
                step(s);
                c.commit();
                steps++;
            }
        }
    }

    private void step(Statement s) throws SQLException {
        int dice = random.nextInt(100);
        if (live.size() < 5 || dice < 18) {
            insertOrderWithChildren(s);
        } else if (dice < 26) {
            childrenBeforeTheirOrder(s);
        } else if (dice < 34 && !awaited.isEmpty()) {
            long id = awaited.remove(random.nextInt(awaited.size()));
            insertOrder(s, id, "10.1.2.3");
            live.add(id);
        } else if (dice < 46) {
            s.execute("UPDATE orders SET status = '" + pick(ORDER_STATUS) + "', total_amount = " + money()
                    + " WHERE order_id = " + pick(live));
        } else if (dice < 53) {
            // A refund of one of the order's payments (the payment center's refunds table).
            s.execute("INSERT INTO refunds VALUES ('R" + nextRefund++ + "', 'P" + random.nextInt(10_000) + "', "
                    + pick(live) + ", '" + pick(CHANNELS) + "', " + money() + ", 'REFUNDING', NULL, NOW(3), NOW(3))");
        } else if (dice < 55) {
            s.execute("UPDATE refunds SET status = '" + pick(REFUND_STATUS) + "', channel_refund_id = "
                    + (random.nextBoolean() ? "'RF" + random.nextInt(1_000_000) + "'" : "NULL")
                    + " WHERE order_id = " + pick(live) + " LIMIT 1");
        } else if (dice < 56) {
            s.execute("DELETE FROM refunds WHERE order_id = " + pick(live) + " LIMIT 1");
        } else if (dice < 60) {
            s.execute("UPDATE payments SET status = '" + pick(PAYMENT_STATUS) + "', channel_txn_id = "
                    + (random.nextBoolean() ? "'TX" + random.nextInt(1_000_000) + "'" : "NULL")
                    + " WHERE order_id = " + pick(live) + " LIMIT 1");
        } else if (dice < 66) {
            insertPayment(s, pick(live));
        } else if (dice < 72) {
            s.execute("UPDATE order_items SET quantity = " + (1 + random.nextInt(9)) + ", unit_price = " + money()
                    + " WHERE order_id = " + pick(live) + " LIMIT 1");
        } else if (dice < 77) {
            insertItem(s, pick(live));
        } else if (dice < 82) {
            s.execute("DELETE FROM order_items WHERE order_id = " + pick(live) + " LIMIT 1");
        } else if (dice < 86) {
            s.execute("DELETE FROM payments WHERE order_id = " + pick(live) + " LIMIT 1");
        } else if (dice < 89) {
            // An item moved to another order (which may not exist yet).
            s.execute("UPDATE order_items SET order_id = "
                    + pick(random.nextBoolean() || awaited.isEmpty() ? live : awaited) + " WHERE order_id = "
                    + pick(live) + " LIMIT 1");
        } else if (dice < 95) {
            long id = live.remove(random.nextInt(live.size()));
            s.execute("DELETE FROM orders WHERE order_id = " + id);
            if (random.nextBoolean()) {
                s.execute("DELETE FROM order_items WHERE order_id = " + id);
                s.execute("DELETE FROM payments WHERE order_id = " + id);
                s.execute("DELETE FROM refunds WHERE order_id = " + id);
            }
            deleted.add(id);
        } else if (dice < 98 && !deleted.isEmpty()) {
            // The id comes back: its leftover children (if any) belong to it again.
            long id = deleted.remove(random.nextInt(deleted.size()));
            insertOrder(s, id, "10.9.8.7");
            live.add(id);
        } else if (rejected.size() < 2) {
            long id = nextOrderId++;
            insertOrder(s, id, "not-an-ip");
            insertItem(s, id);
            rejected.add(id);
        } else {
            insertOrderWithChildren(s);
        }
    }

    private void insertOrderWithChildren(Statement s) throws SQLException {
        long id = nextOrderId++;
        insertOrder(s, id, "192.168.0." + random.nextInt(255));
        for (int i = random.nextInt(4); i > 0; i--) {
            insertItem(s, id);
        }
        if (random.nextBoolean()) {
            insertPayment(s, id);
        }
        live.add(id);
    }

    private void childrenBeforeTheirOrder(Statement s) throws SQLException {
        long id = nextOrderId++;
        insertItem(s, id);
        if (random.nextBoolean()) {
            insertPayment(s, id);
        }
        awaited.add(id);
    }

    private void insertOrder(Statement s, long id, String ip) throws SQLException {
        s.execute(
                "INSERT INTO orders (order_id, user_id, status, total_amount, submit_hash, client_ip, created_at, updated_at) VALUES ("
                        + id + ", " + (1 + random.nextInt(50)) + ", 'CREATED', " + money() + ", "
                        + (random.nextBoolean() ? "SHA2('" + id + "', 256)" : "NULL") + ", '" + ip
                        + "', NOW(3), NOW(3))");
    }

    private void insertItem(Statement s, long orderId) throws SQLException {
        s.execute("INSERT INTO order_items VALUES (" + nextItemId++ + ", " + orderId + ", " + (100 + random.nextInt(20))
                + ", " + (1 + random.nextInt(5)) + ", " + money() + ")");
    }

    private void insertPayment(Statement s, long orderId) throws SQLException {
        s.execute("INSERT INTO payments VALUES ('P" + nextPayment++ + "', " + orderId + ", '" + pick(CHANNELS) + "', "
                + money() + ", '" + pick(PAYMENT_STATUS) + "', NULL, NOW(3), NOW(3))");
    }

    private String money() {
        return (1 + random.nextInt(50_000)) / 100 + "." + String.format("%02d", random.nextInt(100));
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private long pick(List<Long> ids) {
        return ids.get(random.nextInt(ids.size()));
    }

    long firstOrderId() {
        return firstOrderId;
    }
}
