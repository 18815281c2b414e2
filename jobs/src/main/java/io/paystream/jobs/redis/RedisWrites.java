package io.paystream.jobs.redis;

import java.io.Serializable;
import redis.clients.jedis.Pipeline;

/** How one kind of record goes to Redis: its key, and one absolute (idempotent) write of it. */
public interface RedisWrites<T> extends Serializable {

    /** The Redis key the record sets; of several records with the same key only the latest is written. */
    String key(T record);

    /** Queues the write of {@code record} on the pipeline: an absolute value, so writing it twice changes nothing. */
    void write(Pipeline pipeline, String key, T record);

    /** Name of the counter of keys written, e.g. {@code stockWrites}; also names the writer's marker key. */
    String metricName();

    /** The job's key prefix ({@code redis.key-prefix}): the writer's marker key lives under it too. */
    String keyPrefix();

    /**
     * When the record's key expires in Redis (epoch ms), {@link Long#MAX_VALUE} for never. The
     * writer forgets the record then, and does not write it again after a loss.
     */
    default long expiresAtMs(T record) {
        return Long.MAX_VALUE;
    }
}
