package io.paystream.jobs.redis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Writes absolute values to Redis and restores them when Redis loses them. It keeps the latest
 * record per key and writes them in pipelined batches every {@code flushInterval}, when
 * {@code maxBatch} keys are waiting, and before every checkpoint barrier; never one round trip per
 * record.
 *
 * <p><b>Redis is a copy; the job's state is the truth.</b> Redis runs without persistence and may
 * lose keys: a restart, FLUSHALL, a failover to an empty replica, eviction under memory pressure.
 * The writer keeps the last value it was given per key in <em>keyed</em> state ({@code
 * redis-last-written}) and, on every flush, looks for a loss ({@link RedisLossProbe}: run_id,
 * evicted_keys, a marker key of its own; and any dropped connection). On a loss it rewrites every
 * key it holds, so a SKU that never changes again comes back too.
 *
 * <p>Why keyed state in the writer, and not the ledger re-emitting its keys or operator state in
 * a sink: the ledger is a {@code KeyedCoProcessFunction}, which cannot iterate its keys (only a
 * broadcast side can), and a sink's operator state is redistributed round-robin on rescaling, so
 * a subtask would hold (and rewrite, out of order) keys it no longer receives. The writer is
 * chained to the keyed operator that owns the keys ({@link #writeTo}: the stream is reinterpreted
 * as keyed by the same key, no shuffle), so its keyed state is partitioned exactly like the
 * ledger's, survives rescaling and savepoints, and {@code applyToAllKeys} walks it. The cost is
 * one more copy of the latest value per key (a few hundred bytes per SKU, in RocksDB).
 *
 * <p><b>Outages wait, they do not fail the job.</b> A write Redis does not take (refused,
 * timeout, dropped connection) marks the writer down: it retries with exponential backoff
 * (logging the first failure, then at most once a minute, then the recovery), and meanwhile only
 * updates its keyed state; no back-pressure is needed, because the state holds one value per key
 * whatever the rate. Checkpoints keep completing during the outage: the snapshot records that a
 * full rewrite is owed (union operator state), so a restore during the outage owes it too. When
 * Redis answers again the writer rewrites every key (a write of the outage may or may not have
 * landed), then goes on with the latest ones: absolute values, so a replay converges.
 *
 * <p><b>At least once, idempotent.</b> When a checkpoint completes, every value received before
 * its barrier is in Redis, or the checkpoint owes a full rewrite. Records of one key reach the
 * same subtask in order, so the last write of a key is its newest value.
 *
 * <p><b>Expiring keys</b> ({@link RedisWrites#expiresAtMs}): the writer forgets a value when its
 * key expires in Redis (a processing-time timer) and rewrites only those still within their
 * window, with the same absolute expiry.
 *
 * <p>Runs in the task thread only.
 */
public final class RedisKeyedWriter<T> extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<T, Void>, BoundedOneInput, Triggerable<Object, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = LoggerFactory.getLogger(RedisKeyedWriter.class);
    private static final long WARN_EVERY_MS = 60_000;
    /** The marker key of writer {@code metricName}, subtask {@code i}: {@code {prefix}paystream:ledger-epoch:{metricName}:{i}}. */
    public static final String MARKER = "paystream:ledger-epoch:";

    private final String uri;
    private final long flushIntervalMs;
    private final int maxBatch;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final RedisWrites<T> writes;
    private final TypeInformation<T> type;

    private transient ValueStateDescriptor<T> lastDescriptor;
    private transient ValueState<T> last;
    private transient ListState<Boolean> rewriteOwedState;
    private transient InternalTimerService<VoidNamespace> expiry;
    private transient TypeSerializer<T> copier;
    private transient Map<String, T> pending;
    private transient RedisLossProbe probe;
    private transient String markerKey;
    private transient Jedis jedis;

    /** Every key must be written again: a loss was seen, a connection dropped, or a restore owes it. */
    private transient boolean rewriteOwed;

    private transient boolean down;
    private transient long downSince;
    private transient long retryAt;
    private transient int failedAttempts;
    private transient long lastWarnAt;

    private transient Counter written;
    private transient Counter flushes;
    private transient Counter rewrites;
    private transient Counter rewrittenKeys;
    private transient Counter failures;

    public RedisKeyedWriter(
            String uri, Duration flushInterval, int maxBatch, RedisWrites<T> writes, TypeInformation<T> type) {
        this(uri, flushInterval, maxBatch, Duration.ofMillis(100), Duration.ofSeconds(5), writes, type);
    }

    public RedisKeyedWriter(
            String uri,
            Duration flushInterval,
            int maxBatch,
            Duration initialBackoff,
            Duration maxBackoff,
            RedisWrites<T> writes,
            TypeInformation<T> type) {
        if (flushInterval.isNegative() || flushInterval.isZero() || maxBatch < 1) {
            throw new IllegalArgumentException("the Redis flush interval must be positive and the batch at least 1");
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "the Redis retry backoff must be positive, its maximum at least its start");
        }
        this.uri = URI.create(uri).toString(); // fails now on a malformed URI, not in the task
        this.flushIntervalMs = flushInterval.toMillis();
        this.maxBatch = maxBatch;
        this.initialBackoffMs = initialBackoff.toMillis();
        this.maxBackoffMs = maxBackoff.toMillis();
        this.writes = writes;
        this.type = type;
    }

    /**
     * Chains {@code writer} to {@code stream}, which must come straight from a keyed operator keyed
     * by {@code key} at the same parallelism (each key's records from the subtask that owns it).
     */
    public static <K, T> SingleOutputStreamOperator<Void> writeTo(
            DataStream<T> stream, KeySelector<T, K> key, TypeInformation<K> keyType, RedisKeyedWriter<T> writer) {
        return DataStreamUtils.reinterpretAsKeyedStream(stream, key, keyType)
                .transform("Redis " + writer.writes.metricName(), Types.VOID, writer)
                .setParallelism(stream.getParallelism());
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        rewriteOwedState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("redis-rewrite-owed", Types.BOOLEAN));
        if (context.isRestored()) {
            for (Boolean owed : rewriteOwedState.get()) {
                rewriteOwed |= Boolean.TRUE.equals(owed);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        lastDescriptor = new ValueStateDescriptor<>("redis-last-written", type);
        last = getPartitionedState(lastDescriptor);
        expiry = getInternalTimerService("redis-key-expiry", VoidNamespaceSerializer.INSTANCE, this);
        copier = getExecutionConfig().isObjectReuseEnabled()
                ? type.createSerializer(getExecutionConfig().getSerializerConfig())
                : null;
        pending = new LinkedHashMap<>();
        probe = new RedisLossProbe();
        markerKey = writes.keyPrefix() + MARKER + writes.metricName() + ":"
                + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        var metrics = getRuntimeContext().getMetricGroup();
        String name = writes.metricName();
        written = metrics.counter(name);
        flushes = metrics.counter(name + "Flushes");
        rewrites = metrics.counter(name + "Rewrites");
        rewrittenKeys = metrics.counter(name + "RewrittenKeys");
        failures = metrics.counter(name + "Failures");
        metrics.gauge(name + "Pending", () -> pending.size());
        metrics.gauge(name + "Down", () -> down ? 1 : 0);
        scheduleTick();
    }

    @Override
    public void processElement(StreamRecord<T> element) throws Exception {
        T record = copier == null ? element.getValue() : copier.copy(element.getValue());
        long expiresAt = writes.expiresAtMs(record);
        if (expiresAt <= getProcessingTimeService().getCurrentProcessingTime()) {
            return; // already expired in Redis (a replay of an old window): nothing to keep
        }
        last.update(record);
        if (expiresAt != Long.MAX_VALUE) {
            expiry.registerProcessingTimeTimer(VoidNamespace.INSTANCE, expiresAt);
        }
        if (down || rewriteOwed) {
            return; // the rewrite to come takes it from the state
        }
        pending.put(writes.key(record), record);
        if (pending.size() >= maxBatch) {
            flush();
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
        T value = last.value();
        if (value != null && writes.expiresAtMs(value) <= timer.getTimestamp()) {
            last.clear(); // Redis expires the key at the same instant
        }
    }

    @Override
    public void onEventTime(InternalTimer<Object, VoidNamespace> timer) {
        // no event-time timers
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush(); // at-least-once: written now, or the snapshot owes a rewrite (below)
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        rewriteOwedState.update(List.of(down || rewriteOwed || !pending.isEmpty()));
    }

    @Override
    public void endInput() throws Exception {
        flushWaiting();
    }

    @Override
    public void finish() throws Exception {
        flushWaiting();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            closeConnection();
        } finally {
            super.close();
        }
    }

    private void scheduleTick() {
        long at = getProcessingTimeService().getCurrentProcessingTime() + flushIntervalMs;
        getProcessingTimeService().registerTimer(at, t -> {
            flush();
            scheduleTick();
        });
    }

    /** At the end of a bounded input: nothing else to do but wait for Redis. */
    private void flushWaiting() throws Exception {
        flush(false);
        for (int attempt = 1; down || rewriteOwed || !pending.isEmpty(); attempt++) {
            Thread.sleep(Math.min(maxBackoffMs, initialBackoffMs << Math.min(attempt - 1, 20)));
            flush(true);
        }
    }

    /**
     * Checks Redis for a loss and writes what is pending, or every key if a rewrite is owed. Never
     * throws on a Redis failure: marks the writer down and schedules the retry instead.
     */
    private void flush() throws Exception {
        flush(false);
    }

    /** {@code ignoreBackoff}: also while the backoff runs (the end of input waits in a loop of its own). */
    private void flush(boolean ignoreBackoff) throws Exception {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (down && now < retryAt && !ignoreBackoff) {
            return;
        }
        try {
            if (jedis == null) {
                jedis = new Jedis(URI.create(uri));
            }
            checkForLoss();
            if (rewriteOwed) {
                rewriteAll(now);
            } else if (!pending.isEmpty()) {
                writePending();
            }
            if (down) {
                LOGGER.info(
                        "Redis {} back after {} ms and {} failed attempts ({}): every key rewritten",
                        writes.metricName(),
                        now - downSince,
                        failedAttempts,
                        uri);
                down = false;
                failedAttempts = 0;
            }
        } catch (Exception e) {
            if (!isRedisFailure(e)) {
                throw e;
            }
            failed(e, now);
        }
    }

    private void checkForLoss() {
        // Three small round trips per flush and subtask (INFO has no pipelined form in Jedis).
        boolean first = probe.runId() == null;
        String reason = probe.observe(jedis.info("server"), jedis.info("stats"), jedis.exists(markerKey));
        if (reason != null && !rewriteOwed) {
            if (first) { // at the start, a missing marker is the normal case of a new job or subtask
                LOGGER.info("Redis {} at start: {}; rewriting every key", writes.metricName(), reason);
            } else {
                LOGGER.warn("Redis {} may have lost keys: {}; rewriting every key", writes.metricName(), reason);
            }
        }
        rewriteOwed |= reason != null;
    }

    private void writePending() {
        Pipeline p = jedis.pipelined();
        for (Map.Entry<String, T> e : pending.entrySet()) {
            writes.write(p, e.getKey(), e.getValue());
        }
        p.sync();
        written.inc(pending.size());
        flushes.inc();
        pending.clear();
    }

    /** Every key this subtask holds, in pipelined batches of {@code maxBatch}, then the marker. */
    private void rewriteAll(long now) throws Exception {
        pending.clear(); // the state holds the same values, and the newest
        List<T> batch = new ArrayList<>(Math.min(maxBatch, 1024));
        long[] count = {0};
        getKeyedStateBackend()
                .applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, lastDescriptor, (k, s) -> {
                    T value = s.value();
                    if (value != null && writes.expiresAtMs(value) > now) {
                        batch.add(value);
                        if (batch.size() >= maxBatch) {
                            count[0] += send(batch);
                        }
                    }
                });
        count[0] += send(batch);
        jedis.set(markerKey, probe.runId() == null ? "1" : probe.runId());
        rewriteOwed = false;
        rewrites.inc();
        rewrittenKeys.inc(count[0]);
        flushes.inc();
        LOGGER.info("Redis {}: {} keys rewritten (subtask marker {})", writes.metricName(), count[0], markerKey);
    }

    private int send(List<T> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        Pipeline p = jedis.pipelined();
        for (T value : batch) {
            writes.write(p, writes.key(value), value);
        }
        p.sync();
        int n = batch.size();
        written.inc(n);
        batch.clear();
        return n;
    }

    private void failed(Exception e, long now) {
        closeConnection();
        // A write may or may not have landed, and Redis may come back empty: rewrite everything.
        rewriteOwed = true;
        pending.clear();
        failures.inc();
        failedAttempts++;
        if (!down) {
            down = true;
            downSince = now;
        }
        long backoff = Math.min(maxBackoffMs, initialBackoffMs << Math.min(failedAttempts - 1, 20));
        retryAt = now + backoff;
        if (failedAttempts == 1 || now - lastWarnAt >= WARN_EVERY_MS) {
            lastWarnAt = now;
            LOGGER.warn(
                    "Redis {} unavailable for {} ms ({} attempts, {}): keeping the latest values, retrying in {} ms",
                    writes.metricName(),
                    now - downSince,
                    failedAttempts,
                    e.toString(),
                    backoff);
        }
    }

    private static boolean isRedisFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JedisException) {
                return true;
            }
        }
        return false;
    }

    private void closeConnection() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // the connection is broken anyway
            }
            jedis = null;
        }
    }
}
