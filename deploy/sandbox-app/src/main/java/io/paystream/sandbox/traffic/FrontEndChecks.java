package io.paystream.sandbox.traffic;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The shop front end's checks against what paystream publishes in Redis (docs/contract.md, "Redis
 * keys"), made before an order reaches the database: {@code stock:{sku}} for SKUs that deduct on
 * order, {@code order:submit:{hash}} for repeat submissions.
 *
 * <p>Decisions, each what a front end would do:
 *
 * <ul>
 *   <li><b>Read your own orders.</b> {@code stock:{sku}} lags the database by the binlog delay (1-2
 *       s, more under load), so two shoppers a second apart would both see the last units. The
 *       front end remembers the units of the orders it created itself and subtracts those created
 *       after the hash's {@code updatedAt} minus {@code lagMargin} (the hash may not count them yet).
 *       It may hold a few units back for a moment, never hand out the same units twice, as long as
 *       the ledger lags less than the margin. Checks and inserts of one front end are serialized
 *       ({@link #placementLock}), as a front end's reservation would be.
 *   <li><b>Stock unknown: refuse.</b> A deduct-on-order SKU is the scarce, flash-sale kind (the seed's
 *       business notes): when Redis does not answer, or the SKU's key is missing (the contract: "not
 *       known right now"), the front end refuses the order ("busy, try again") rather than promise
 *       units it cannot see. Counted apart ("stock unknown").
 *   <li><b>Duplicates unknown: accept.</b> When the submission key cannot be read the order goes
 *       ahead: a repeat is then caught by the ledger itself ({@code DUPLICATE_SUBMISSION} and
 *       {@code CANCEL_DUPLICATE}), which costs a cancelled order, not money.
 *   <li><b>Never block the shop.</b> Pooled connections, 250 ms timeouts, and after a failure Redis
 *       is not asked again for one second (every check in that second is "unknown" at once).
 * </ul>
 */
final class FrontEndChecks implements AutoCloseable {
    enum Verdict {
        OK,
        OUT_OF_STOCK,
        STOCK_UNKNOWN,
        DUPLICATE
    }

    private static final long BACKOFF_MS = 1000;

    /** Serializes check and insert of the orders this front end places. */
    final Object placementLock = new Object();

    private final JedisPooled redis;
    private final String keyPrefix;
    private final long lagMarginMs;
    /** Per SKU: the shop's own recent orders, {created at (ms), units}, oldest first; under the lock. */
    private final Map<Long, Deque<long[]>> ownOrders = new HashMap<>();

    private volatile long unavailableUntil;

    FrontEndChecks(String redisUri, String keyPrefix, Duration lagMargin) {
        URI uri = URI.create(redisUri);
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(8);
        pool.setMaxWait(Duration.ofMillis(250));
        this.redis = new JedisPooled(
                pool,
                new HostAndPort(uri.getHost(), uri.getPort()),
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(250)
                        .socketTimeoutMillis(250)
                        .build());
        this.keyPrefix = keyPrefix;
        this.lagMarginMs = lagMargin.toMillis();
    }

    /**
     * The stock check for the deduct-on-order lines of an order (sku id to units); call under
     * {@link #placementLock}. {@code OK} when every such SKU has the units.
     */
    Verdict checkStock(Map<Long, Long> deductOnOrderUnits) {
        for (Map.Entry<Long, Long> e : deductOnOrderUnits.entrySet()) {
            List<String> fields = read(() -> redis.hmget(keyPrefix + "stock:" + e.getKey(), "available", "updatedAt"));
            if (fields == null || fields.get(0) == null || fields.get(1) == null) {
                return Verdict.STOCK_UNKNOWN;
            }
            long available = Long.parseLong(fields.get(0));
            long seenUpTo = Long.parseLong(fields.get(1)) - lagMarginMs;
            if (available - unseenOwnUnits(e.getKey(), seenUpTo) < e.getValue()) {
                return Verdict.OUT_OF_STOCK;
            }
        }
        return Verdict.OK;
    }

    /** {@code DUPLICATE} when the ledger published this submission hash; {@code OK} otherwise, also when Redis does not answer. */
    Verdict checkSubmission(String submitHash) {
        Boolean exists = read(() -> redis.exists(keyPrefix + "order:submit:" + submitHash));
        return Boolean.TRUE.equals(exists) ? Verdict.DUPLICATE : Verdict.OK;
    }

    /** Remembers an order this front end created; call under {@link #placementLock} after the insert. */
    void created(Map<Long, Long> deductOnOrderUnits, long createdAtMillis) {
        deductOnOrderUnits.forEach((sku, units) ->
                ownOrders.computeIfAbsent(sku, k -> new ArrayDeque<>()).addLast(new long[] {createdAtMillis, units}));
    }

    private long unseenOwnUnits(long sku, long seenUpTo) {
        Deque<long[]> orders = ownOrders.get(sku);
        if (orders == null) {
            return 0;
        }
        // Orders older than any hash could still miss are forgotten: a minute beyond the margin.
        long forgetBefore = System.currentTimeMillis() - lagMarginMs - TimeUnit.MINUTES.toMillis(1);
        while (!orders.isEmpty() && orders.peekFirst()[0] < forgetBefore) {
            orders.removeFirst();
        }
        long units = 0;
        for (long[] o : orders) {
            if (o[0] > seenUpTo) {
                units += o[1];
            }
        }
        return units;
    }

    private interface Read<T> {
        T get();
    }

    /** The answer, or null when Redis does not answer (then it is left alone for a second). */
    private <T> T read(Read<T> read) {
        if (System.currentTimeMillis() < unavailableUntil) {
            return null;
        }
        try {
            return read.get();
        } catch (JedisException e) {
            unavailableUntil = System.currentTimeMillis() + BACKOFF_MS;
            return null;
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
