package io.paystream.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.servers.RedisServer;
import io.paystream.state.stock.StockLevel;
import io.paystream.state.stock.SubmitKey;
import java.net.URI;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The Redis writer in a test harness on a real Redis of its own: loss detection (FLUSHALL, a
 * restart on the same port, a dropped connection) and the rewrite of every key it holds, an
 * outage that does not throw, and a checkpoint taken during the outage that owes the rewrite.
 */
class RedisKeyedWriterIT {
    private static final Duration FLUSH = Duration.ofMillis(100);
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start(0);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, StockLevel, Void> stockHarness(String prefix)
            throws Exception {
        RedisKeyedWriter<StockLevel> writer = new RedisKeyedWriter<>(
                redis.uri(),
                FLUSH,
                2,
                Duration.ofMillis(100),
                Duration.ofMillis(400),
                new StockLevelWrites(prefix),
                TypeInformation.of(StockLevel.class));
        return new KeyedOneInputStreamOperatorTestHarness<>(writer, s -> s.skuId, Types.LONG);
    }

    private static StockLevel level(long sku, long total) {
        StockLevel s = new StockLevel();
        s.skuId = sku;
        s.total = total;
        s.available = total;
        s.mode = "ORDER";
        s.version = total;
        s.updatedAt = 1;
        return s;
    }

    private static String total(String prefix, long sku) {
        try (Jedis j = new Jedis(URI.create(redis.uri()))) {
            return j.hget(prefix + "stock:" + sku, "total");
        }
    }

    private static void flushAll() {
        try (Jedis j = new Jedis(URI.create(redis.uri()))) {
            j.flushAll();
        }
    }

    @Test
    void everyKeyComesBackAfterAFlushAllAndAfterARestartWithoutAnyNewValue() throws Exception {
        String p = "w1:";
        try (var h = stockHarness(p)) {
            h.open();
            long t = 1;
            h.setProcessingTime(t);
            for (long sku = 1; sku <= 5; sku++) {
                h.processElement(level(sku, 10 * sku), t);
            }
            h.processElement(level(3, 33), t);
            h.setProcessingTime(t += 200);
            for (long sku = 1; sku <= 5; sku++) {
                assertThat(total(p, sku)).isEqualTo(sku == 3 ? "33" : Long.toString(10 * sku));
            }

            flushAll();
            h.setProcessingTime(t += 200);
            for (long sku = 1; sku <= 5; sku++) {
                assertThat(total(p, sku))
                        .as("sku %d after FLUSHALL", sku)
                        .isEqualTo(sku == 3 ? "33" : Long.toString(10 * sku));
            }

            redis.stop();
            redis.startAgain();
            h.setProcessingTime(t += 200); // the dropped connection: down, retry after the backoff
            h.setProcessingTime(t += 500);
            h.setProcessingTime(t += 200);
            for (long sku = 1; sku <= 5; sku++) {
                assertThat(total(p, sku))
                        .as("sku %d after a restart", sku)
                        .isEqualTo(sku == 3 ? "33" : Long.toString(10 * sku));
            }
        }
    }

    @Test
    void anOutageDoesNotThrowAndACheckpointDuringItOwesTheRewriteAfterARestore() throws Exception {
        String p = "w2:";
        OperatorSubtaskState snapshot;
        long t = 1;
        try (var h = stockHarness(p)) {
            h.open();
            h.setProcessingTime(t);
            h.processElement(level(1, 10), t);
            h.processElement(level(2, 20), t);
            h.setProcessingTime(t += 200);
            assertThat(total(p, 1)).isEqualTo("10");

            redis.stop();
            try {
                h.processElement(level(2, 21), t);
                h.processElement(level(4, 40), t);
                h.processElement(level(5, 50), t); // a full batch: a flush attempt, which fails quietly
                for (int i = 0; i < 10; i++) {
                    h.setProcessingTime(t += 150);
                }
                h.prepareSnapshotPreBarrier(1);
                snapshot = h.snapshot(1, t); // completes during the outage
            } finally {
                redis.startAgain();
            }
        }
        // Whatever the closing writer wrote, a loss its successor cannot see: the keys gone, the
        // marker there. Only the rewrite the checkpoint owes brings the keys back.
        try (Jedis j = new Jedis(URI.create(redis.uri()))) {
            for (long sku = 1; sku <= 5; sku++) {
                j.del(p + "stock:" + sku);
            }
            j.set(p + RedisKeyedWriter.MARKER + "stockWrites:0", "1");
        }
        try (var h = stockHarness(p)) {
            h.setProcessingTime(t);
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(t += 200);
            assertThat(total(p, 1)).isEqualTo("10");
            assertThat(total(p, 2)).isEqualTo("21");
            assertThat(total(p, 4)).isEqualTo("40");
            assertThat(total(p, 5)).isEqualTo("50");
        }
    }

    @Test
    void submitKeysComeBackWithinTheirWindowOnlyAndWithTheirExpiry() throws Exception {
        String p = "w3:";
        RedisKeyedWriter<SubmitKey> writer = new RedisKeyedWriter<>(
                redis.uri(), FLUSH, 100, new SubmitKeyWrites(p), TypeInformation.of(SubmitKey.class));
        long now = System.currentTimeMillis();
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, SubmitKey, Void>(
                writer, k -> k.submitHash, Types.STRING)) {
            h.open();
            h.setProcessingTime(now);
            h.processElement(new SubmitKey("short", 1, now + 1_000), now);
            h.processElement(new SubmitKey("long", 2, now + 600_000), now);
            h.processElement(new SubmitKey("gone", 3, now - 1), now);
            h.setProcessingTime(now + 200);
            try (Jedis j = new Jedis(URI.create(redis.uri()))) {
                assertThat(j.get(p + "order:submit:long")).isEqualTo("2");
                assertThat(j.exists(p + "order:submit:gone")).isFalse();
                flushAll();
            }
            h.setProcessingTime(now + 2_000); // past the short window: forgotten, not rewritten
            try (Jedis j = new Jedis(URI.create(redis.uri()))) {
                assertThat(j.get(p + "order:submit:long")).isEqualTo("2");
                assertThat(j.pttl(p + "order:submit:long"))
                        .as("the same absolute expiry")
                        .isBetween(590_000L, 600_000L);
                assertThat(j.exists(p + "order:submit:short")).isFalse();
            }
        }
    }
}
