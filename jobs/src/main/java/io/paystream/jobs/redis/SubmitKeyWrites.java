package io.paystream.jobs.redis;

import io.paystream.state.stock.SubmitKey;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

/**
 * {@code order:submit:{hash}}: the first order id of a submission hash, expiring at the absolute
 * end of its dedup window (SET ... PXAT), so a rewrite keeps the same expiry.
 */
public final class SubmitKeyWrites implements RedisWrites<SubmitKey> {
    private static final long serialVersionUID = 1L;

    private final String keyPrefix;
    private final String prefix;

    public SubmitKeyWrites(String keyPrefix) {
        this.keyPrefix = keyPrefix;
        this.prefix = keyPrefix + "order:submit:";
    }

    @Override
    public String key(SubmitKey k) {
        return prefix + k.submitHash;
    }

    @Override
    public void write(Pipeline pipeline, String key, SubmitKey k) {
        pipeline.set(key, Long.toString(k.orderId), SetParams.setParams().pxAt(k.expireAtMs));
    }

    @Override
    public String metricName() {
        return "submitKeyWrites";
    }

    @Override
    public String keyPrefix() {
        return keyPrefix;
    }

    @Override
    public long expiresAtMs(SubmitKey k) {
        return k.expireAtMs;
    }
}
