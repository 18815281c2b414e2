package io.paystream.jobs.redis;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Redis sink for absolute values: it keeps the latest record per key and writes them in one
 * pipelined round trip every {@code flushInterval}, when {@code maxBatch} keys are waiting, and
 * before every checkpoint. Never one round trip per record.
 *
 * <p>At least once and idempotent: everything received before a checkpoint is in Redis when the
 * checkpoint completes; after a restore the job replays from that checkpoint and writes the same
 * absolute values again, so Redis converges to the same state. Records of one key must reach the
 * same subtask in order (chain the sink to the keyed operator that produces them), so the last
 * write of a key is its newest value.
 */
public final class RedisBatchSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final String uri;
    private final long flushIntervalMs;
    private final int maxBatch;
    private final RedisWrites<T> writes;

    public RedisBatchSink(String uri, Duration flushInterval, int maxBatch, RedisWrites<T> writes) {
        if (flushInterval.isNegative() || flushInterval.isZero() || maxBatch < 1) {
            throw new IllegalArgumentException("the Redis flush interval must be positive and the batch at least 1");
        }
        this.uri = URI.create(uri).toString(); // fails now on a malformed URI, not in the task
        this.flushIntervalMs = flushInterval.toMillis();
        this.maxBatch = maxBatch;
        this.writes = writes;
    }

    /** Flink before 1.20 (and the deprecated path of 1.20). */
    @Override
    @Deprecated
    public SinkWriter<T> createWriter(InitContext context) {
        return new Writer<>(
                this,
                context.getProcessingTimeService(),
                context.isObjectReuseEnabled() ? context.<T>createInputSerializer() : null,
                context.metricGroup());
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new Writer<>(
                this,
                context.getProcessingTimeService(),
                context.isObjectReuseEnabled() ? context.<T>createInputSerializer() : null,
                context.metricGroup());
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final RedisBatchSink<T> sink;
        private final ProcessingTimeService time;
        /** Copies records when the job reuses objects (the upstream may overwrite one we keep). */
        private final TypeSerializer<T> copier;

        private final Map<String, T> pending = new LinkedHashMap<>();
        private final Counter written;
        private final Counter flushes;
        private Jedis jedis;

        Writer(
                RedisBatchSink<T> sink,
                ProcessingTimeService time,
                TypeSerializer<T> copier,
                SinkWriterMetricGroup metrics) {
            this.sink = sink;
            this.time = time;
            this.copier = copier;
            this.written = metrics.counter(sink.writes.metricName());
            this.flushes = metrics.counter(sink.writes.metricName() + "Flushes");
            metrics.gauge(sink.writes.metricName() + "Pending", pending::size);
            scheduleFlush();
        }

        @Override
        public void write(T record, Context context) throws IOException {
            pending.put(sink.writes.key(record), copier == null ? record : copier.copy(record));
            if (pending.size() >= sink.maxBatch) {
                flushPending();
            }
        }

        /** Called before every checkpoint (and at the end of input): nothing stays buffered across it. */
        @Override
        public void flush(boolean endOfInput) throws IOException {
            flushPending();
        }

        private void scheduleFlush() {
            time.registerTimer(time.getCurrentProcessingTime() + sink.flushIntervalMs, t -> {
                flushPending();
                scheduleFlush();
            });
        }

        private void flushPending() throws IOException {
            if (pending.isEmpty()) {
                return;
            }
            try {
                send();
            } catch (JedisException first) {
                // A dropped connection: one fresh connection and the whole batch again (absolute
                // values, so a write that did land is harmless to repeat). Then the job restarts.
                closeConnection();
                try {
                    send();
                } catch (JedisException second) {
                    closeConnection();
                    second.addSuppressed(first);
                    throw new IOException("cannot write " + pending.size() + " keys to Redis", second);
                }
            }
            written.inc(pending.size());
            flushes.inc();
            pending.clear();
        }

        private void send() {
            if (jedis == null) {
                jedis = new Jedis(URI.create(sink.uri));
            }
            Pipeline p = jedis.pipelined();
            for (Map.Entry<String, T> e : pending.entrySet()) {
                sink.writes.write(p, e.getKey(), e.getValue());
            }
            p.sync();
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

        @Override
        public void close() {
            // What is still pending is written again after the restore (or was flushed at the end
            // of input): nothing to do on a failing task but let go of the connection.
            closeConnection();
        }
    }
}
