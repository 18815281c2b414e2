package io.paystream.jobs.tools.consistency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The order documents recomputed from MySQL by plain SQL joins and aggregates, independently of
 * the job's code: what the index must hold once the job has caught up (the contract schema's
 * tables; the order-search tests and the fault soak compare the index with it). Documents are compared as
 * canonical JSON text (keys sorted, absent fields omitted), without {@code lastChangeAt}, which
 * depends on binlog times no table holds; it is checked against the rows' own times instead.
 */
public final class OrderDocumentsFromMySql {
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private OrderDocumentsFromMySql() {}

    /** Canonical document text by order id, and each order's newest row time (lastChangeAt's floor). */
    public static Map<Long, String> documents(Connection c, Map<Long, Long> newestRowTime) throws SQLException {
        Map<Long, ObjectNode> docs = new TreeMap<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery(
                    "SELECT o.order_id, o.user_id, o.status, CAST(o.total_amount AS CHAR), o.submit_hash, o.client_ip, "
                            + "ROUND(UNIX_TIMESTAMP(o.created_at) * 1000), ROUND(UNIX_TIMESTAMP(o.updated_at) * 1000), "
                            + "(SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.order_id), "
                            + "(SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i WHERE i.order_id = o.order_id), "
                            + "(SELECT CASE WHEN SUM(p.status = 'SUCCESS') > 0 THEN 'PAID' WHEN SUM(p.status = 'PAYING') > 0 THEN 'PAYING' "
                            + "        WHEN SUM(p.status = 'CREATED') > 0 THEN 'PENDING' WHEN COUNT(*) > 0 THEN 'FAILED' ELSE 'NONE' END "
                            + "   FROM payments p WHERE p.order_id = o.order_id), "
                            + "(SELECT ROUND(UNIX_TIMESTAMP(MIN(p.updated_at)) * 1000) FROM payments p WHERE p.order_id = o.order_id AND p.status = 'SUCCESS'), "
                            + "(SELECT CAST(COALESCE(SUM(p.amount), 0) AS DECIMAL(14, 2)) FROM payments p WHERE p.order_id = o.order_id AND p.status = 'SUCCESS'), "
                            + "ROUND(UNIX_TIMESTAMP(GREATEST(o.updated_at, COALESCE((SELECT MAX(p.updated_at) FROM payments p WHERE p.order_id = o.order_id), o.updated_at))) * 1000) "
                            + "FROM orders o")) {
                while (r.next()) {
                    long id = r.getLong(1);
                    ObjectNode d = JSON.createObjectNode();
                    d.put("orderId", id);
                    d.put("userId", r.getLong(2));
                    d.put("status", r.getString(3));
                    d.put("totalAmount", r.getString(4));
                    putIfPresent(d, "submitHash", r.getString(5));
                    putIfPresent(d, "clientIp", r.getString(6));
                    d.put("createdAt", r.getLong(7));
                    d.put("updatedAt", r.getLong(8));
                    d.put("itemCount", r.getInt(9));
                    d.put("totalQuantity", r.getLong(10));
                    d.put("paymentStatus", r.getString(11));
                    long paidAt = r.getLong(12);
                    if (!r.wasNull()) {
                        d.put("paidAt", paidAt);
                    }
                    d.put("paidAmount", r.getBigDecimal(13).toPlainString());
                    d.putArray("items");
                    d.putArray("payments");
                    d.putArray("refunds");
                    d.put("refundedAmount", "0.00");
                    docs.put(id, d);
                    newestRowTime.put(id, r.getLong(14));
                }
            }
            try (ResultSet r =
                    s.executeQuery("SELECT i.order_id, i.item_id, i.sku_id, i.quantity, CAST(i.unit_price AS CHAR), "
                            + "CAST(i.quantity * i.unit_price AS CHAR) FROM order_items i JOIN orders o ON o.order_id = i.order_id "
                            + "ORDER BY i.order_id, i.item_id")) {
                while (r.next()) {
                    ObjectNode item = ((ArrayNode) docs.get(r.getLong(1)).get("items")).addObject();
                    item.put("itemId", r.getLong(2));
                    item.put("skuId", r.getLong(3));
                    item.put("quantity", r.getInt(4));
                    item.put("unitPrice", r.getString(5));
                    item.put("amount", r.getString(6));
                }
            }
            try (ResultSet r = s.executeQuery(
                    "SELECT p.order_id, p.payment_id, p.channel, CAST(p.amount AS CHAR), p.status, p.channel_txn_id, "
                            + "ROUND(UNIX_TIMESTAMP(p.created_at) * 1000), ROUND(UNIX_TIMESTAMP(p.updated_at) * 1000) "
                            + "FROM payments p JOIN orders o ON o.order_id = p.order_id ORDER BY p.order_id, p.payment_id")) {
                while (r.next()) {
                    ObjectNode p = ((ArrayNode) docs.get(r.getLong(1)).get("payments")).addObject();
                    p.put("paymentId", r.getString(2));
                    p.put("channel", r.getString(3));
                    p.put("amount", r.getString(4));
                    p.put("status", r.getString(5));
                    putIfPresent(p, "channelTxnId", r.getString(6));
                    p.put("createdAt", r.getLong(7));
                    p.put("updatedAt", r.getLong(8));
                }
            }
            if (hasRefunds(c)) {
                addRefunds(s, docs, newestRowTime);
            }
        }
        Map<Long, String> out = new TreeMap<>();
        docs.forEach((id, d) -> out.put(id, canonical(d)));
        return out;
    }

    /** Whether the database has the (optional) refunds table: a shop schema from before it has none. */
    private static boolean hasRefunds(Connection c) throws SQLException {
        try (ResultSet t = c.getMetaData().getTables(c.getCatalog(), null, "refunds", new String[] {"TABLE"})) {
            return t.next();
        }
    }

    /** Each order's refunds (by refund id), the sum of the successful ones, and their newest row time. */
    private static void addRefunds(Statement s, Map<Long, ObjectNode> docs, Map<Long, Long> newestRowTime)
            throws SQLException {
        try (ResultSet r = s.executeQuery(
                "SELECT f.order_id, f.refund_id, f.payment_id, f.channel, CAST(f.amount AS CHAR), f.status,"
                        + " f.channel_refund_id, ROUND(UNIX_TIMESTAMP(f.created_at) * 1000),"
                        + " ROUND(UNIX_TIMESTAMP(f.updated_at) * 1000)"
                        + " FROM refunds f JOIN orders o ON o.order_id = f.order_id ORDER BY f.order_id, f.refund_id")) {
            while (r.next()) {
                long orderId = r.getLong(1);
                ObjectNode d = docs.get(orderId);
                ObjectNode f = ((ArrayNode) d.get("refunds")).addObject();
                f.put("refundId", r.getString(2));
                f.put("paymentId", r.getString(3));
                f.put("channel", r.getString(4));
                f.put("amount", r.getString(5));
                f.put("status", r.getString(6));
                putIfPresent(f, "channelRefundId", r.getString(7));
                f.put("createdAt", r.getLong(8));
                f.put("updatedAt", r.getLong(9));
                if ("SUCCESS".equals(r.getString(6))) {
                    d.put(
                            "refundedAmount",
                            new java.math.BigDecimal(d.get("refundedAmount").asText())
                                    .add(new java.math.BigDecimal(r.getString(5)))
                                    .toPlainString());
                }
                newestRowTime.merge(orderId, r.getLong(9), Math::max);
            }
        }
    }

    /** A stored document as canonical text, without {@code lastChangeAt}. */
    public static String canonical(JsonNode source) {
        try {
            ObjectNode copy = source.deepCopy();
            copy.remove("lastChangeAt");
            return JSON.writeValueAsString(JSON.treeToValue(copy, Object.class));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Differences between what the index holds and what MySQL says, for an assertion message. */
    public static List<String> differences(Map<Long, String> expected, Map<Long, JsonNode> actual) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, String> e : expected.entrySet()) {
            JsonNode a = actual.get(e.getKey());
            if (a == null) {
                out.add("missing " + e.getKey() + ": " + e.getValue());
            } else if (!canonical(a).equals(e.getValue())) {
                out.add("differs " + e.getKey() + ":\n   expected " + e.getValue() + "\n   actual   " + canonical(a));
            }
        }
        for (Long id : actual.keySet()) {
            if (!expected.containsKey(id)) {
                out.add("extra " + id + ": " + canonical(actual.get(id)));
            }
        }
        return out;
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
