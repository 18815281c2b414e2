package io.paystream.soak.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.jobs.tools.consistency.OrderDocumentsFromMySql;
import io.paystream.jobs.tools.consistency.StockFromMySql;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Redis, Elasticsearch and the payment center's own tables against MySQL, once the jobs have
 * caught up: every count, key and document recomputed by SQL, independently of the jobs' code.
 */
public final class StoreChecks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Violations violations;
    private long checked;

    public StoreChecks(Violations violations) {
        this.violations = violations;
    }

    public long checked() {
        return checked;
    }

    /** {@code stock:*} equals the recomputation from MySQL, SKU by SKU, none missing, none extra. */
    public void stock(Connection shop, Jedis redis) throws SQLException {
        Map<Long, String> expected = StockFromMySql.recompute(shop);
        Map<Long, String> actual = StockFromMySql.inRedis(redis, "");
        for (Map.Entry<Long, String> e : expected.entrySet()) {
            checked++;
            String a = actual.get(e.getKey());
            if (!e.getValue().equals(a)) {
                violations.add(
                        "Redis stock:* differs from MySQL",
                        "SKU " + e.getKey() + ": MySQL " + e.getValue() + ", Redis " + a
                                + " (total/reserved/sold/available)");
            }
        }
        for (Long sku : actual.keySet()) {
            if (!expected.containsKey(sku)) {
                violations.add("Redis stock:* of a SKU MySQL does not have", "SKU " + sku + ": " + actual.get(sku));
            }
        }
    }

    /**
     * {@code order:submit:{hash}}: the first order of the hash's latest window, while the window
     * lasts ({@code created_at + window}); none for a hash MySQL does not have. Keys whose window
     * ends within 5 s of now are not judged (expiry races the read).
     */
    public void submitKeys(Connection shop, Jedis redis, Duration window) throws SQLException {
        Map<String, long[]> latestWindow = new HashMap<>(); // hash -> first order id, window start ms
        try (Statement s = shop.createStatement();
                ResultSet r = s.executeQuery("SELECT submit_hash, order_id, ROUND(UNIX_TIMESTAMP(created_at) * 1000) "
                        + "FROM orders WHERE submit_hash IS NOT NULL ORDER BY created_at, order_id")) {
            while (r.next()) {
                long[] w = latestWindow.get(r.getString(1));
                long created = r.getLong(3);
                if (w == null || created >= w[1] + window.toMillis()) {
                    latestWindow.put(r.getString(1), new long[] {r.getLong(2), created});
                }
            }
        }
        long now = System.currentTimeMillis();
        Map<String, String> keys = submitKeysInRedis(redis);
        for (Map.Entry<String, long[]> e : latestWindow.entrySet()) {
            long ends = e.getValue()[1] + window.toMillis();
            String actual = keys.get(e.getKey());
            checked++;
            if (ends > now + 5000 && !String.valueOf(e.getValue()[0]).equals(actual)) {
                violations.add(
                        "Redis order:submit:* missing or wrong",
                        e.getKey() + ": expected order " + e.getValue()[0] + ", Redis " + actual);
            } else if (ends < now - 5000 && actual != null) {
                violations.add("Redis order:submit:* outlived its window", e.getKey() + " = " + actual);
            }
        }
        for (String hash : keys.keySet()) {
            if (!latestWindow.containsKey(hash)) {
                violations.add("Redis order:submit:* of a hash no order has", hash);
            }
        }
    }

    private static Map<String, String> submitKeysInRedis(Jedis redis) {
        Map<String, String> out = new HashMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> r =
                    redis.scan(cursor, new ScanParams().match("order:submit:*").count(1000));
            for (String key : r.getResult()) {
                out.put(key.substring("order:submit:".length()), redis.get(key));
            }
            cursor = r.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }

    /** The {@code orders} index equals the SQL join of MySQL, document by document, none extra. */
    public void index(Connection shop, String elasticsearchUrl) throws SQLException {
        Map<Long, String> expected = OrderDocumentsFromMySql.documents(shop, new HashMap<>());
        Map<Long, JsonNode> actual = allDocuments(elasticsearchUrl);
        checked += expected.size();
        for (String d : OrderDocumentsFromMySql.differences(expected, actual)) {
            String kind = d.startsWith("missing")
                    ? "Elasticsearch: an order without its document"
                    : d.startsWith("extra")
                            ? "Elasticsearch: a document of no order"
                            : "Elasticsearch: a document differs from MySQL";
            violations.add(kind, d);
        }
    }

    /**
     * Internal loss: every payment MySQL has as SUCCESS has its order PAID, or was alerted {@code
     * LOST_PAYMENT_INTERNAL} (the order system never applied it).
     */
    public void paidOrders(Connection shop, List<TopicContents.Message> alerts) throws SQLException {
        Set<String> lostInternal = OutputChecks.alerted(alerts, "LOST_PAYMENT_INTERNAL");
        try (Statement s = shop.createStatement();
                ResultSet r = s.executeQuery("SELECT p.payment_id, p.order_id, o.status FROM payments p "
                        + "JOIN orders o ON o.order_id = p.order_id WHERE p.status = 'SUCCESS'")) {
            while (r.next()) {
                checked++;
                if (!"PAID".equals(r.getString(3)) && !lostInternal.contains(r.getString(1))) {
                    violations.add(
                            "internal loss: a paid payment whose order is not PAID and no alert",
                            "payment " + r.getString(1) + ", order " + r.getLong(2) + " " + r.getString(3));
                }
            }
        }
    }

    /** Every document of the index by id, paged by {@code search_after} (any number of orders). */
    static Map<Long, JsonNode> allDocuments(String url) {
        HttpClient http = HttpClient.newHttpClient();
        Map<Long, JsonNode> out = new TreeMap<>();
        try {
            send(
                    http,
                    HttpRequest.newBuilder(URI.create(url + "/orders/_refresh"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build());
            Long after = null;
            while (true) {
                Map<String, Object> query = new LinkedHashMap<>();
                query.put("size", 5000);
                query.put("query", Map.of("match_all", Map.of()));
                query.put("sort", List.of(Map.of("orderId", "asc")));
                if (after != null) {
                    query.put("search_after", List.of(after));
                }
                JsonNode hits = send(
                                http,
                                HttpRequest.newBuilder(URI.create(url + "/orders/_search"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(query)))
                                        .build())
                        .path("hits")
                        .path("hits");
                if (hits.isEmpty()) {
                    return out;
                }
                for (JsonNode h : hits) {
                    out.put(Long.parseLong(h.get("_id").asText()), h.get("_source"));
                    after = h.path("sort").get(0).asLong();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the orders index: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(request.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
