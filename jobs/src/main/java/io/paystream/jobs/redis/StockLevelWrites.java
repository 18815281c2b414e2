package io.paystream.jobs.redis;

import io.paystream.state.stock.StockLevel;
import java.util.HashMap;
import java.util.Map;
import redis.clients.jedis.Pipeline;

/** {@code stock:{sku_id}}: a hash of the SKU's absolute counts (docs/contract.md). */
public final class StockLevelWrites implements RedisWrites<StockLevel> {
    private static final long serialVersionUID = 1L;

    private final String keyPrefix;
    private final String prefix;

    public StockLevelWrites(String keyPrefix) {
        this.keyPrefix = keyPrefix;
        this.prefix = keyPrefix + "stock:";
    }

    @Override
    public String key(StockLevel s) {
        return prefix + s.skuId;
    }

    @Override
    public void write(Pipeline pipeline, String key, StockLevel s) {
        // One HSET of every field: readers never see a hash half old, half new.
        Map<String, String> fields = new HashMap<>(16);
        fields.put("total", Long.toString(s.total));
        fields.put("reserved", Long.toString(s.reserved));
        fields.put("sold", Long.toString(s.sold));
        fields.put("available", Long.toString(s.available));
        fields.put("oversold", Long.toString(s.oversold));
        fields.put("mode", s.mode);
        fields.put("version", Long.toString(s.version));
        fields.put("updatedAt", Long.toString(s.updatedAt));
        pipeline.hset(key, fields);
    }

    @Override
    public String metricName() {
        return "stockWrites";
    }

    @Override
    public String keyPrefix() {
        return keyPrefix;
    }
}
