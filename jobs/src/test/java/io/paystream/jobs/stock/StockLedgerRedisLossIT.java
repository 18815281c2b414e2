package io.paystream.jobs.stock;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.testing.Eventually;
import io.paystream.jobs.testing.ShopDb;
import io.paystream.servers.RedisServer;
import io.paystream.servers.SharedServers;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

/**
 * Issue 12 (fault soak): the stock ledger, wired by JobRunner as in production, on a Redis of its
 * own that loses everything (FLUSHALL; a crash and restart on the same port) and one that stays
 * away longer than the restart budget. Every {@code stock:{sku}} must come back without any new
 * change to its SKU, and the job must stay RUNNING.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StockLedgerRedisLossIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String PREFIX = "loss-it:";
    private static final int SKUS = 8;
    /** restart.attempts x restart.delay: 1 x 200 ms; the outage below lasts far longer. */
    private static final Duration OUTAGE = Duration.ofSeconds(8);

    private RedisServer redis;
    private ShopDb db;
    private JobClient client;
    private final Map<Long, String> expected = new TreeMap<>();

    @BeforeAll
    void startTheJob() throws Exception {
        redis = RedisServer.start(0);
        db = ShopDb.create("stock_loss_it");
        String topics = "stock-loss-it.";
        SharedServers.kafka()
                .createTopics(Map.of(topics + "alerts", 1, topics + "order-commands", 1, topics + "dlq", 1));
        for (long sku = 1; sku <= SKUS; sku++) {
            int stock = 10 * (int) sku;
            db.exec("INSERT INTO inventory (sku_id, name, stock, deduct_mode, per_user_limit) VALUES (" + sku
                    + ", 'sku " + sku + "', " + stock + ", 'ORDER', NULL)");
            expected.put(sku, Integer.toString(stock));
        }
        Settings settings = JobRunner.settings(
                new StockLedgerJob(),
                db.settingsArgs(
                        "--kafka.bootstrap-servers",
                        SharedServers.kafka().bootstrapServers(),
                        "--kafka.topic.alerts",
                        topics + "alerts",
                        "--kafka.topic.order-commands",
                        topics + "order-commands",
                        "--kafka.topic.dlq",
                        topics + "dlq",
                        "--redis.uri",
                        redis.uri(),
                        "--redis.key-prefix",
                        PREFIX,
                        "--checkpoint.interval",
                        "500 ms",
                        "--restart.attempts",
                        "1",
                        "--restart.delay",
                        "200 ms",
                        "--mysql.server-id",
                        "5690-5691",
                        "--parallelism",
                        "2"),
                Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobRunner.define(new StockLedgerJob(), settings, env, new StockLedgerJob.Inputs(settings));
        client = env.executeAsync("stock-ledger redis-loss-it");
        Eventually.await("every SKU in Redis", WAIT, () -> totals().equals(expected));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (client != null) {
                client.cancel().get();
            }
        } finally {
            redis.close();
        }
    }

    @Test
    @Order(1)
    void everySkuComesBackAfterAFlushAllWithoutAnyChange() throws Exception {
        try (Jedis j = jedis()) {
            j.flushAll();
        }
        Eventually.await("every SKU back after FLUSHALL", WAIT, () -> totals().equals(expected));
        assertThat(client.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    @Order(2)
    void everySkuComesBackAfterRedisRestartsEmpty() throws Exception {
        redis.stop();
        redis.startAgain();
        assertThat(totals()).isEmpty();
        Eventually.await("every SKU back after a restart", WAIT, () -> totals().equals(expected));
        assertThat(client.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    @Order(3)
    void anOutageLongerThanTheRestartBudgetIsWaitedOut() throws Exception {
        redis.stop();
        try {
            // A change during the outage: the job takes it, Redis gets it when it is back.
            db.exec("UPDATE inventory SET stock = 99 WHERE sku_id = 2");
            expected.put(2L, "99");
            Thread.sleep(OUTAGE.toMillis());
            assertThat(client.getJobStatus().get()).as("during the outage").isEqualTo(JobStatus.RUNNING);
        } finally {
            redis.startAgain();
        }
        Eventually.await("every SKU right after the outage", WAIT, () -> totals().equals(expected));
        assertThat(client.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    }

    private Jedis jedis() {
        return new Jedis(URI.create(redis.uri()));
    }

    /** sku -> total of every stock hash under the prefix; empty if Redis is down. */
    private Map<Long, String> totals() {
        Map<Long, String> out = new TreeMap<>();
        try (Jedis j = jedis()) {
            for (long sku = 1; sku <= SKUS; sku++) {
                String total = j.hget(PREFIX + "stock:" + sku, "total");
                if (total != null) {
                    out.put(sku, total);
                }
            }
        } catch (RuntimeException e) {
            return Map.of();
        }
        return out;
    }
}
