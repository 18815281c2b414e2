package io.paystream.functions;

import java.time.Duration;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * The state TTL of the keyed functions: a safety net only, behind the timers and paths that clear
 * each key's state themselves; expired entries are dropped by RocksDB's compaction filter. One
 * configuration for every function, so that a savepoint's TTL wrappers stay the same.
 */
public final class SafetyTtl {
    private SafetyTtl() {}

    public static StateTtlConfig of(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .cleanupInRocksdbCompactFilter(10_000)
                .build();
    }

    /** {@code descriptors} with the safety TTL {@code ttl}. */
    public static void enable(Duration ttl, StateDescriptor<?, ?>... descriptors) {
        StateTtlConfig config = of(ttl);
        for (StateDescriptor<?, ?> d : descriptors) {
            d.enableTimeToLive(config);
        }
    }
}
