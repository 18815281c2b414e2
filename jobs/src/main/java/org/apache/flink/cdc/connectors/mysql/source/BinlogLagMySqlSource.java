package org.apache.flink.cdc.connectors.mysql.source;

import io.paystream.jobs.cdc.BinlogLag;
import io.paystream.jobs.cdc.MySqlDriverRelease;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.cdc.connectors.mysql.source.assigners.state.PendingSplitsState;
import org.apache.flink.cdc.connectors.mysql.source.metrics.MySqlSourceReaderMetrics;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlRecordEmitter;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplitState;
import org.apache.flink.cdc.connectors.mysql.source.utils.RecordUtils;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * Flink CDC's {@link MySqlSource}, unchanged in what it reads, checkpoints and restores (same
 * splits, same serializers), plus the gauge {@value BinlogLag#METRIC} on its reader: how far behind
 * the database the binlog reader is ({@link BinlogLag}).
 *
 * <p>It lives in Flink CDC's package because the only way to see the binlog heartbeats is the
 * reader's record emitter, which {@link MySqlSource} takes through a package-private constructor;
 * Flink CDC's own metrics do not serve: {@code currentFetchEventTimeLag} and {@code
 * currentEmitEventTimeLag} keep their last value while nothing arrives, and {@code sourceIdleTime}
 * grows on a healthy idle reader too. The package-private constructor is reachable because the job
 * jar carries Flink CDC (same class loader, same runtime package); a cluster with Flink CDC in its
 * {@code lib/} would load {@link MySqlSource} from there and refuse the call (IllegalAccessError).
 * Pinned to flink-sql-connector-mysql-cdc 3.5.0 (STACK.md);
 * {@code BinlogReconnectIT} fails if an upgrade changes what the emitter receives.
 *
 * <p>It also lets the job jar's MySQL driver go when the job is gone ({@link MySqlDriverRelease}):
 * on a TaskManager by a release hook of the job's class loader, registered by the reader; on the
 * JobManager, which offers no such hook to a source, when the split enumerator closes.
 */
public final class BinlogLagMySqlSource<T> extends MySqlSource<T> {
    /** The lag of each reader of the job in this TaskManager, by job, operator and subtask. */
    private static final ConcurrentHashMap<String, BinlogLag> LAGS = new ConcurrentHashMap<>();

    private static final long serialVersionUID = 1L;

    /**
     * Hands the gauge's {@link BinlogLag} from {@link #createReader} to the emitter, which Flink
     * CDC's {@code createReader} builds on the same thread in the same call.
     */
    private static final ThreadLocal<BinlogLag> READER_LAG = new ThreadLocal<>();

    private BinlogLagMySqlSource(
            MySqlSource<T> built,
            DebeziumDeserializationSchema<T> deserializer,
            SerializableSupplier<T> snapshotEnded) {
        super(
                built.getConfigFactory(),
                deserializer,
                (metrics, config) -> new LagEmitter<>(
                        deserializer, metrics, config.isIncludeSchemaChanges(), READER_LAG.get(), snapshotEnded));
    }

    /**
     * {@code built} (from {@link MySqlSource#builder()}) with the binlog lag gauge, emitting {@code
     * snapshotEnded} once before the first record its reader passes from the binlog (a row or a
     * heartbeat): the snapshot's rows are all out by then, as Flink CDC assigns the binlog split only
     * after every snapshot split finished. A restored reader in the binlog phase emits it again.
     */
    public static <T> MySqlSource<T> of(
            MySqlSource<T> built,
            DebeziumDeserializationSchema<T> deserializer,
            SerializableSupplier<T> snapshotEnded) {
        return new BinlogLagMySqlSource<>(built, deserializer, snapshotEnded);
    }

    @Override
    public SourceReader<T, MySqlSplit> createReader(SourceReaderContext readerContext) throws Exception {
        // Runs when this TaskManager releases the job's class loader (the job is gone from it:
        // stopped, cancelled, or taken over by another JobManager), once per class loader.
        readerContext
                .getUserCodeClassLoader()
                .registerReleaseHookIfAbsent(MySqlDriverRelease.HOOK, MySqlDriverRelease::release);
        // One lag per reader of the job, kept across the reader's restarts in this TaskManager: a
        // reader that fails and restarts while its database is down (a reconnect can fail the task)
        // is still stalled, and its lag must go on growing rather than start from zero each time.
        Map<String, String> scope = readerContext.metricGroup().getAllVariables();
        String reader =
                scope.get("<job_id>") + "/" + scope.get("<operator_id>") + "/" + readerContext.getIndexOfSubtask();
        BinlogLag lag = LAGS.computeIfAbsent(reader, k -> new BinlogLag(System::currentTimeMillis));
        readerContext.metricGroup().gauge(BinlogLag.METRIC, lag::lagMs);
        READER_LAG.set(lag);
        try {
            return super.createReader(readerContext);
        } finally {
            READER_LAG.remove();
        }
    }

    @Override
    public SplitEnumerator<MySqlSplit, PendingSplitsState> createEnumerator(
            SplitEnumeratorContext<MySqlSplit> context) {
        return new ReleasingEnumerator(super.createEnumerator(context));
    }

    @Override
    public SplitEnumerator<MySqlSplit, PendingSplitsState> restoreEnumerator(
            SplitEnumeratorContext<MySqlSplit> context, PendingSplitsState checkpoint) {
        return new ReleasingEnumerator(super.restoreEnumerator(context, checkpoint));
    }

    /**
     * Flink CDC's enumerator, unchanged, releasing the job jar's MySQL driver after it closed. It
     * closes when the job ends on this JobManager, and also at a global failover, where a new
     * enumerator follows in the same class loader: its connections then still open (Hikari logs
     * that it instantiates the driver itself), only abandoned ones are no longer tracked.
     */
    private static final class ReleasingEnumerator implements SplitEnumerator<MySqlSplit, PendingSplitsState> {
        private final SplitEnumerator<MySqlSplit, PendingSplitsState> enumerator;

        ReleasingEnumerator(SplitEnumerator<MySqlSplit, PendingSplitsState> enumerator) {
            this.enumerator = enumerator;
            // close() may run after the job's class loader was closed: load what it needs now.
            MySqlDriverRelease.prepare();
        }

        @Override
        public void start() {
            enumerator.start();
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            enumerator.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<MySqlSplit> splits, int subtaskId) {
            enumerator.addSplitsBack(splits, subtaskId);
        }

        @Override
        public void addReader(int subtaskId) {
            enumerator.addReader(subtaskId);
        }

        @Override
        public PendingSplitsState snapshotState(long checkpointId) throws Exception {
            return enumerator.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            enumerator.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            enumerator.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
            enumerator.handleSourceEvent(subtaskId, sourceEvent);
        }

        @Override
        public void close() throws IOException {
            try {
                enumerator.close();
            } finally {
                MySqlDriverRelease.release();
            }
        }
    }

    /**
     * Flink CDC's emitter, telling the lag of every binlog row and heartbeat first, and announcing
     * the snapshot's end once before the first binlog record.
     */
    private static final class LagEmitter<T> extends MySqlRecordEmitter<T> {
        private final BinlogLag lag;
        private final SerializableSupplier<T> snapshotEnded;
        private boolean snapshotEndAnnounced;

        LagEmitter(
                DebeziumDeserializationSchema<T> deserializer,
                MySqlSourceReaderMetrics metrics,
                boolean includeSchemaChanges,
                BinlogLag lag,
                SerializableSupplier<T> snapshotEnded) {
            super(deserializer, metrics, includeSchemaChanges);
            if (lag == null) {
                throw new IllegalStateException("the emitter was built outside BinlogLagMySqlSource.createReader");
            }
            this.lag = lag;
            this.snapshotEnded = snapshotEnded;
        }

        @Override
        protected void processElement(SourceRecord element, SourceOutput<T> output, MySqlSplitState splitState)
                throws Exception {
            if (!snapshotEndAnnounced && splitState.isBinlogSplitState()) {
                // The binlog split is assigned only once every snapshot split finished: whatever the
                // snapshot read was emitted before this record (on this reader; another reader of a
                // parallel snapshot may still have some in flight, which then simply come later).
                snapshotEndAnnounced = true;
                output.collect(snapshotEnded.get());
            }
            if (RecordUtils.isHeartbeatEvent(element)) {
                // Debezium's heartbeat record: a struct with the time it was made (ts_ms).
                Object value = element.value();
                Long ts = value instanceof Struct s && s.schema().field("ts_ms") != null ? s.getInt64("ts_ms") : null;
                lag.onHeartbeat(ts != null ? ts : System.currentTimeMillis());
            } else if (!RecordUtils.isWatermarkEvent(element)
                    && !RecordUtils.isSchemaChangeEvent(element)
                    && RecordUtils.isDataChangeRecord(element)) {
                Long commit = RecordUtils.getMessageTimestamp(element);
                if (commit != null) {
                    lag.onRow(commit);
                }
            }
            super.processElement(element, output, splitState);
        }
    }
}
