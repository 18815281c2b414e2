package io.paystream.sqlrunner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paystream.servers.LocalServers;
import io.paystream.servers.MariaDbServer;
import io.paystream.servers.ScratchDirectories;
import io.paystream.servers.SharedServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * sql/order-search.sql as a user runs it, {@code deploy/sql-client -f sql/order-search.sql}, on
 * the catalog filled for a database of its own on a real MariaDB with binlog, into a real
 * Elasticsearch: the snapshot's orders indexed whole, a later payment streamed into its order's
 * document, the client still running the sync (it waits for its INSERT). The script's own server
 * ids (5446-5457) are used as they are: nothing else reads this MariaDB with them.
 */
class OrderSearchSqlIT {
    static final String DATABASE = "order_search_sql";
    static final String INDEX = "orders-sql";
    static final Duration WAIT = Duration.ofMinutes(3);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theSyncIndexesTheSnapshotThenFollowsTheBinlog() throws Exception {
        CompletableFuture<String> es = CompletableFuture.supplyAsync(
                () -> SharedServers.elasticsearch().httpUrl());
        MariaDbServer db = SharedServers.mariaDb();
        db.createShopDatabase(DATABASE);
        String esUrl = es.join();
        // As README says: the index template first, so orders-sql gets the mapping of orders-*.
        assertThat(http(
                                "PUT",
                                esUrl + "/_index_template/paystream-orders",
                                Files.readString(
                                        SqlClientProcess.ROOT.resolve("deploy/elasticsearch/orders-template.json")))
                        .statusCode())
                .isEqualTo(200);
        shop(
                db,
                "INSERT INTO orders (order_id, user_id, status, total_amount, client_ip, created_at, updated_at) VALUES "
                        + "(1, 10, 'PAID', 35.50, '10.0.0.1', '2026-11-20 10:00:00.250', '2026-11-20 10:05:00.000'),"
                        + "(2, 11, 'CREATED', 12.00, '10.0.0.2', '2026-11-20 10:01:00.000', '2026-11-20 10:01:00.000')",
                "INSERT INTO order_items (item_id, order_id, sku_id, quantity, unit_price) VALUES "
                        + "(11, 1, 1001, 2, 12.75), (12, 1, 1002, 1, 10.00), (21, 2, 1001, 1, 12.00)",
                "INSERT INTO payments (payment_id, order_id, channel, amount, status, channel_txn_id, created_at, updated_at) VALUES "
                        + "('P-1', 1, 'WECHAT', 35.50, 'SUCCESS', 'W-1', '2026-11-20 10:02:00.000', '2026-11-20 10:03:00.000')");

        Path work = ScratchDirectories.create("order-search-sql");
        Path endpoints = work.resolve("endpoints.json");
        LocalServers.writeJson(
                endpoints,
                Map.of(
                        "mysql.hostname",
                        db.host(),
                        "mysql.port",
                        String.valueOf(db.port()),
                        "mysql.database",
                        DATABASE,
                        "mysql.cdc-username",
                        MariaDbServer.CDC_USER,
                        "mysql.cdc-password",
                        db.cdcPassword(),
                        "kafka.bootstrap-servers",
                        "127.0.0.1:9",
                        "elasticsearch.url",
                        esUrl));
        Path out = work.resolve("client.out");
        ProcessBuilder pb = SqlClientProcess.builder(
                List.of("--endpoints", endpoints.toString(), "-f", "sql/order-search.sql"), Map.of(), work, out);
        long start = System.nanoTime();
        Process client = pb.start();
        try {
            JsonNode paid = awaitDocument(
                    esUrl,
                    1,
                    d -> d.path("itemCount").asInt() == 2 && d.path("payments").size() == 1,
                    client,
                    out);
            System.out.printf(
                    "snapshot indexed %d ms after the client started%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertThat(paid.path("status").asText()).isEqualTo("PAID");
            assertThat(paid.path("totalAmount").asText()).isEqualTo("35.50");
            assertThat(paid.path("paymentStatus").asText()).isEqualTo("PAID");
            assertThat(paid.path("paidAmount").asText()).isEqualTo("35.50");
            assertThat(paid.path("paidAt").asLong())
                    .isEqualTo(java.time.Instant.parse("2026-11-20T10:03:00Z").toEpochMilli());
            assertThat(paid.path("createdAt").asLong())
                    .isEqualTo(
                            java.time.Instant.parse("2026-11-20T10:00:00.250Z").toEpochMilli());
            assertThat(paid.path("totalQuantity").asLong()).isEqualTo(3);
            assertThat(paid.path("items").findValuesAsText("amount")).containsExactlyInAnyOrder("25.50", "10.00");
            JsonNode open = awaitDocument(esUrl, 2, d -> d.path("itemCount").asInt() == 1, client, out);
            assertThat(open.path("paymentStatus").asText()).isEqualTo("NONE");
            assertThat(open.path("paidAmount").asText()).isEqualTo("0.00");

            // From the binlog: order 2 is paid.
            long paidAt = System.nanoTime();
            shop(
                    db,
                    "INSERT INTO payments (payment_id, order_id, channel, amount, status, channel_txn_id, created_at, updated_at) VALUES "
                            + "('P-2', 2, 'ALIPAY', 12.00, 'SUCCESS', 'A-2', '2026-11-20 10:06:00.000', '2026-11-20 10:07:00.000')",
                    "UPDATE orders SET status = 'PAID', updated_at = '2026-11-20 10:07:00.000' WHERE order_id = 2");
            JsonNode streamed = awaitDocument(
                    esUrl,
                    2,
                    d -> d.path("status").asText().equals("PAID")
                            && d.path("paymentStatus").asText().equals("PAID"),
                    client,
                    out);
            System.out.printf(
                    "binlog change indexed %d ms after the commit%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - paidAt));
            assertThat(streamed.path("paidAmount").asText()).isEqualTo("12.00");
            assertThat(streamed.path("lastChangeAt").asLong()).isPositive(); // binlog time, not a snapshot's 0
            assertThat(client.isAlive())
                    .as("the client runs the sync until stopped")
                    .isTrue();
            assertThat(Files.readString(out)).doesNotContain("[ERROR]");
            assertThat(Files.readString(work.resolve("sql-client.log"))).doesNotContain(db.cdcPassword());
        } finally {
            client.destroy();
            if (!client.waitFor(30, TimeUnit.SECONDS)) {
                client.destroyForcibly();
            }
        }
    }

    private static JsonNode awaitDocument(
            String esUrl, long orderId, Predicate<JsonNode> complete, Process client, Path out) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            assertThat(client.isAlive())
                    .as("client ended early:\n%s", Files.readString(out))
                    .isTrue();
            HttpResponse<String> r = http("GET", esUrl + "/" + INDEX + "/_doc/" + orderId, null);
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body()).path("_source");
                if (complete.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("order " + orderId + " not indexed as expected within " + WAIT + "; last: " + last
                + "\nclient output:\n" + Files.readString(out));
    }

    private static HttpResponse<String> http(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void shop(MariaDbServer db, String... statements) throws Exception {
        try (Connection c =
                        DriverManager.getConnection(db.jdbcUrl(DATABASE), MariaDbServer.SHOP_USER, db.shopPassword());
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
