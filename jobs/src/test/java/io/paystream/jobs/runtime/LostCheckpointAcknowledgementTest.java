package io.paystream.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paystream.jobs.config.InvalidSettingsException;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsHistory;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.runtime.checkpoint.FailedCheckpointStats;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: the fault soak's stock-ledger stopped committing for ten minutes because one subtask's
 * checkpoint acknowledgement was never recorded. The JobManager had received it and logged
 * {@code WARN Error while processing AcknowledgeCheckpoint message ... IllegalStateException:
 * Attempt to reference unknown state}: the subtask's RocksDB incremental snapshot referred (by a
 * placeholder) to a shared file of an older checkpoint that the JobManager had dropped when a newer
 * one subsumed it, because the notice that the newer one had completed reached the task only after
 * the next barrier. Flink 1.20 then keeps the checkpoint pending until its timeout; nothing
 * declines it.
 *
 * <p>This test makes that happen on purpose in a real MiniCluster with real RocksDB incremental
 * checkpoints: {@link LateNotices} passes two completion notices on late, as a slow RPC on a busy
 * TaskManager would. It checks that it is reproduced (the checkpoint hangs with every subtask but
 * one acknowledged, as checkpoint 49 in the soak) and that with the jobs' checkpoint settings it
 * costs one {@code checkpoint.timeout}: the checkpoint expires, the job is not restarted, and the
 * next checkpoint completes.
 */
class LostCheckpointAcknowledgementTest {
    /** The checkpoint after which the operator wrote its only state (k); -1 until chosen. */
    private static final AtomicLong WRITTEN_IN = new AtomicLong(-1);
    /** The checkpoint whose abort notice the operator got: k + 2 when reproduced. */
    private static final AtomicLong ABORTED = new AtomicLong(-1);

    @TempDir
    Path dir;

    @Test
    void aLostAcknowledgementCostsOneTimeoutAndNoRestart() throws Exception {
        WRITTEN_IN.set(-1);
        ABORTED.set(-1);
        Settings settings = settings(
                "--checkpoint.interval", "200 ms",
                "--checkpoint.min-pause", "200 ms",
                "--checkpoint.timeout", "6 s",
                "--checkpoint.dir", dir.toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobEnvironment.configure(env, settings);
        env.setParallelism(1);
        env.fromSequence(0, Long.MAX_VALUE)
                .map(LostCheckpointAcknowledgementTest::slowly)
                .returns(Types.LONG)
                .keyBy(v -> v % 16, Types.LONG)
                .transform("late notices", Types.LONG, new LateNotices())
                .sinkTo(new DiscardingSink<>());

        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(new Configuration())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(4)
                .build())) {
            cluster.start();
            JobID job =
                    cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();

            // The checkpoint two after the write hangs: acknowledged by every subtask but the one.
            long stuck = waitFor(Duration.ofSeconds(60), () -> WRITTEN_IN.get() < 0 ? -1 : WRITTEN_IN.get() + 2);
            AbstractCheckpointStats hanging = waitFor(Duration.ofSeconds(30), () -> {
                AbstractCheckpointStats s = history(cluster, job).getCheckpointById(stuck);
                // Pending for 3 s where the others take milliseconds: it waits for an ack now.
                return s != null
                                && s.getStatus() == CheckpointStatsStatus.IN_PROGRESS
                                && System.currentTimeMillis() - s.getTriggerTimestamp() > 3000
                        ? s
                        : null;
            });
            assertThat(hanging.getNumberOfAcknowledgedSubtasks())
                    .as("every subtask but the late-noticed one acknowledged checkpoint %d", stuck)
                    .isEqualTo(hanging.getNumberOfSubtasks() - 1);

            // It expires after checkpoint.timeout, and the next one completes, in the same run.
            FailedCheckpointStats failed = waitFor(Duration.ofSeconds(30), () -> {
                AbstractCheckpointStats s = history(cluster, job).getCheckpointById(stuck);
                return s instanceof FailedCheckpointStats f ? f : null;
            });
            assertThat(failed.getFailureMessage()).contains("expired");
            assertThat(failed.getEndToEndDuration()).isBetween(5_000L, 20_000L);
            long completedAfter = waitFor(Duration.ofSeconds(30), () -> {
                var latest = history(cluster, job).getLatestCompletedCheckpoint();
                return latest != null && latest.getCheckpointId() > stuck ? latest.getCheckpointId() : -1L;
            });
            assertThat(completedAfter).isGreaterThan(stuck);
            assertThat(ABORTED.get())
                    .as("the operator heard checkpoint %d aborted", stuck)
                    .isEqualTo(stuck);

            ArchivedExecutionGraph graph =
                    cluster.getArchivedExecutionGraph(job).get();
            assertThat(graph.getState()).isEqualTo(JobStatus.RUNNING);
            assertThat(graph.getStatusTimestamp(JobStatus.RESTARTING))
                    .as("checkpoint.tolerable-failures: the expired checkpoint did not restart the job")
                    .isZero();
            cluster.cancelJob(job).get();
        }
    }

    @Test
    void theJobsTakeTheCheckpointSettingsAndRefuseATimeoutPastTheKafkaTransactions() {
        Configuration defaults = JobEnvironment.checkpointFailures(settings());
        assertThat(defaults.get(ExecutionCheckpointingOptions.CHECKPOINTING_TIMEOUT))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(defaults.get(ExecutionCheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.get(ExecutionCheckpointingOptions.TOLERABLE_FAILURE_NUMBER))
                .isEqualTo(2);

        Configuration set = JobEnvironment.checkpointFailures(settings(
                "--checkpoint.timeout",
                "5 min",
                "--checkpoint.min-pause",
                "0 s",
                "--checkpoint.tolerable-failures",
                "0"));
        assertThat(set.get(ExecutionCheckpointingOptions.CHECKPOINTING_TIMEOUT)).isEqualTo(Duration.ofMinutes(5));
        assertThat(set.get(ExecutionCheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS))
                .isEqualTo(Duration.ZERO);
        assertThat(set.get(ExecutionCheckpointingOptions.TOLERABLE_FAILURE_NUMBER))
                .isZero();

        // A checkpoint completing after the broker aborted its transactions would commit nothing.
        assertThatThrownBy(() -> JobEnvironment.checkpointFailures(
                        settings("--checkpoint.timeout", "10 min", "--kafka.transaction-timeout", "10 min")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("checkpoint.timeout (PT10M) must be below kafka.transaction-timeout");
        assertThatThrownBy(() -> JobEnvironment.checkpointFailures(
                        settings("--checkpoint.timeout", "0 s", "--checkpoint.tolerable-failures", "-1")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("checkpoint.timeout must be positive")
                .hasMessageContaining("checkpoint.tolerable-failures must not be negative");
    }

    private static Settings settings(String... args) {
        return Settings.load(args, Map.of(), PaystreamOptions.declaredIn(PaystreamOptions.class));
    }

    private static Long slowly(Long v) throws InterruptedException {
        Thread.sleep(1); // a trickle, not a flood: two shared cores
        return v;
    }

    private static CheckpointStatsHistory history(MiniCluster cluster, JobID job) throws Exception {
        return cluster.getArchivedExecutionGraph(job)
                .get()
                .getCheckpointStatsSnapshot()
                .getHistory();
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls until {@code probe} returns something other than null or -1. */
    private static <T> T waitFor(Duration limit, Probe<T> probe) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            T v = probe.get();
            if (v != null && !Long.valueOf(-1).equals(v)) {
                return v;
            }
            assertThat(System.nanoTime()).as("waited %s", limit).isLessThan(end);
            Thread.sleep(100);
        }
    }

    /**
     * Keyed state written only between two checkpoints (k - 1 and k), so RocksDB holds one SST file
     * F, first uploaded by checkpoint k; and the notices of k and k + 1 passed on late, as a slow
     * RPC would: k + 1 is then taken against k - 1 and uploads F again under a new name (the
     * JobManager drops k's F when k + 1 subsumes k); k + 2 is taken against k, whose notice has
     * arrived by then, and refers to k's F, which the JobManager no longer knows. Its
     * acknowledgement is lost. When k + 2 is aborted the held notice of k + 1 is passed on, as
     * the late RPC would have arrived by then.
     */
    static final class LateNotices extends AbstractStreamOperator<Long> implements OneInputStreamOperator<Long, Long> {
        private static final long serialVersionUID = 1L;

        private transient ValueState<Long> last;
        private transient boolean writing;
        private transient long k;
        private transient boolean holdingK;
        private transient boolean holdingK1;

        @Override
        public void open() throws Exception {
            super.open();
            last = getPartitionedState(new ValueStateDescriptor<>("last", Types.LONG));
            k = -1;
        }

        @Override
        public void processElement(StreamRecord<Long> element) throws Exception {
            if (writing) {
                last.update(element.getValue());
            }
            output.collect(element);
        }

        @Override
        public void snapshotState(StateSnapshotContext context) throws Exception {
            super.snapshotState(context); // runs before the keyed backend's snapshot of this checkpoint
            long id = context.getCheckpointId();
            if (k < 0 && !writing && id >= 2) {
                writing = true; // from this checkpoint (k - 1) on
            } else if (k < 0 && writing) {
                writing = false; // the memtable is flushed into F by this checkpoint, k
                k = id;
                WRITTEN_IN.set(k);
            }
        }

        @Override
        public void notifyCheckpointComplete(long id) throws Exception {
            if (k >= 0 && id == k) {
                holdingK = true;
                return;
            }
            if (k >= 0 && id == k + 1 && holdingK) {
                holdingK = false;
                super.notifyCheckpointComplete(k);
                holdingK1 = true;
                return;
            }
            releaseK1();
            super.notifyCheckpointComplete(id);
        }

        @Override
        public void notifyCheckpointAborted(long id) throws Exception {
            super.notifyCheckpointAborted(id);
            if (k >= 0 && id == k + 2) {
                ABORTED.set(id);
            }
            releaseK1();
        }

        private void releaseK1() throws Exception {
            if (holdingK1) {
                holdingK1 = false;
                super.notifyCheckpointComplete(k + 1);
            }
        }
    }
}
