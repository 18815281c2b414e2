package io.paystream.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * Says when outputs flow again after a failure: every job RUNNING with all its tasks, each with a
 * checkpoint completed that was triggered after the failed part came back (so its Kafka
 * transactions, Redis writes and Elasticsearch writes of that time are committed), and a change
 * committed to MySQL after that moment visible where the jobs put it: a probe SKU's stock in Redis
 * (stock-ledger) and a probe order's document in Elasticsearch (order-search). A checkpoint alone
 * would not do: a binlog reader that lost its connection still checkpoints.
 */
final class RecoveryProbe {
    /** The probe's rows: a SKU nobody orders and a closed order with no items or payments. */
    static final long PROBE_SKU = 990_001L;

    static final long PROBE_ORDER = 8_000_000_001L;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SoakSystem system;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private int probes;

    RecoveryProbe(SoakSystem system) {
        this.system = system;
    }

    /** Waits until outputs flow again after {@code fault}; returns it with its recovery time (or -1). */
    Fault await(Fault fault, Duration timeout) {
        long at = awaitFlowingSince(fault.backAt(), timeout);
        return at < 0 ? fault : fault.recovered(at);
    }

    /**
     * Waits until outputs flow with a checkpoint triggered after {@code sinceMs} and a probe
     * change committed after now; returns when (epoch ms), or -1 after {@code timeout}.
     */
    long awaitFlowingSince(long sinceMs, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        int value = -1;
        while (System.currentTimeMillis() < deadline) {
            if (value < 0) {
                value = writeProbe(); // -1 while MySQL does not take it yet
            }
            if (value >= 0 && jobsCheckpointedSince(sinceMs) && probeVisible(value)) {
                return System.currentTimeMillis();
            }
            FaultInjector.sleep(250);
        }
        return -1;
    }

    /** Every job RUNNING with a checkpoint triggered after {@code sinceMs}. */
    boolean jobsCheckpointedSince(long sinceMs) {
        Map<String, FlinkSessionCluster.JobState> jobs = system.flink.jobs();
        for (String name : system.jobNames()) {
            FlinkSessionCluster.JobState j = jobs.get("paystream " + name);
            if (j == null || !j.fullyRunning() || system.flink.latestCheckpointTriggeredAt(j.id()) <= sinceMs) {
                return false;
            }
        }
        return true;
    }

    /** Commits a new probe value to MySQL; returns it, or -1 if MySQL does not answer now. */
    int writeProbe() {
        int value = ++probes;
        try (Connection c = system.mariaDb.shopConnection()) {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO inventory (sku_id, name, stock, deduct_mode) "
                            + "VALUES (?, 'soak recovery probe', ?, 'PAYMENT') ON DUPLICATE KEY UPDATE stock = VALUES(stock)")) {
                s.setLong(1, PROBE_SKU);
                s.setInt(2, value);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO orders (order_id, user_id, status, total_amount) VALUES (?, 0, 'CLOSED', ?) "
                            + "ON DUPLICATE KEY UPDATE total_amount = VALUES(total_amount)")) {
                s.setLong(1, PROBE_ORDER);
                s.setBigDecimal(2, java.math.BigDecimal.valueOf(value, 0).setScale(2));
                s.executeUpdate();
            }
            return value;
        } catch (SQLException e) {
            return -1;
        }
    }

    private boolean probeVisible(int value) {
        return String.valueOf(value).equals(redisTotal()) && (value + ".00").equals(indexedTotal());
    }

    private String redisTotal() {
        try (Jedis redis = new Jedis(URI.create(system.redis.uri()), 1000)) {
            return redis.hget("stock:" + PROBE_SKU, "total");
        } catch (RuntimeException e) {
            return null; // Redis is down or restarting
        }
    }

    private String indexedTotal() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(system.elasticsearch.httpUrl() + "/orders/_doc/" + PROBE_ORDER))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            JsonNode doc = JSON.readTree(r.body());
            return doc.path("_source").path("totalAmount").asText(null);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
