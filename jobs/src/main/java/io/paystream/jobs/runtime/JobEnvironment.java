package io.paystream.jobs.runtime;

import io.paystream.jobs.config.InvalidSettingsException;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The runtime every paystream job shares: RocksDB state with incremental checkpoints, exactly-once
 * checkpoints at the configured interval, generic (Kryo) types disabled so every state type is an
 * evolvable POJO or an explicit serializer, a fixed max parallelism, and a bounded restart strategy.
 */
public final class JobEnvironment {
    private JobEnvironment() {}

    public static void configure(StreamExecutionEnvironment env, Settings settings) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        if (settings.isSet(PaystreamOptions.CHECKPOINT_DIR)) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.get(PaystreamOptions.CHECKPOINT_DIR));
        }
        conf.set(
                ExecutionCheckpointingOptions.CHECKPOINTING_INTERVAL,
                settings.get(PaystreamOptions.CHECKPOINT_INTERVAL));
        conf.set(ExecutionCheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.addAll(checkpointFailures(settings));
        // A cancelled job keeps its last checkpoint, so an operator can still resume from it.
        conf.set(
                ExecutionCheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.MAX_PARALLELISM, settings.get(PaystreamOptions.MAX_PARALLELISM));
        conf.addAll(restartStrategy(settings));
        env.configure(conf);
        if (settings.isSet(PaystreamOptions.PARALLELISM)) {
            env.setParallelism(settings.get(PaystreamOptions.PARALLELISM));
        }
        env.setMaxParallelism(settings.get(PaystreamOptions.MAX_PARALLELISM));
    }

    /**
     * How long a checkpoint may hang and how many may fail in a row, from {@code checkpoint.*}.
     *
     * <p>Issue 12: Flink 1.20 can lose a subtask's acknowledgement for good. A RocksDB incremental
     * snapshot refers to the shared files of the last checkpoint its task <em>heard</em> had
     * completed; when that notification reaches the task after the next checkpoint's barrier (two
     * busy cores, checkpoints back to back), the snapshot can refer to a file the JobManager
     * already dropped when the newer checkpoint subsumed the older one. The JobManager then fails
     * to register the acknowledgement ("Attempt to reference unknown state"), logs a WARN and
     * keeps the checkpoint pending: nothing declines it, so no transaction commits until it
     * expires. Three settings bound that, none of them removes the race (it is Flink's):
     *
     * <ul>
     *   <li>{@code checkpoint.timeout} (2 min; Flink's 10 min) is what such a checkpoint costs. It
     *       must stay below {@code kafka.transaction-timeout}: the broker aborts a transaction
     *       older than that, and a checkpoint completing later would commit nothing;
     *   <li>{@code checkpoint.tolerable-failures} (2; Flink's 0): the expired checkpoint does not
     *       restart the job. The next one is taken against the notification that has arrived by
     *       then and completes; a restart would only replay the same input. Failures in a row
     *       beyond it still restart the job;
     *   <li>{@code checkpoint.min-pause} (1 s; Flink's 0) gives the completion notice a head start
     *       on the next barrier, which otherwise follows it within milliseconds once checkpoints
     *       take longer than the interval (39 ms in the soak), and leaves the tasks some time
     *       between checkpoints on a loaded machine.
     * </ul>
     */
    public static Configuration checkpointFailures(Settings settings) {
        Duration timeout = settings.get(PaystreamOptions.CHECKPOINT_TIMEOUT);
        Duration minPause = settings.get(PaystreamOptions.CHECKPOINT_MIN_PAUSE);
        int tolerable = settings.get(PaystreamOptions.CHECKPOINT_TOLERABLE_FAILURES);
        Duration transactions = settings.get(PaystreamOptions.KAFKA_TRANSACTION_TIMEOUT);
        List<String> problems = new ArrayList<>();
        if (timeout.isNegative() || timeout.isZero()) {
            problems.add("checkpoint.timeout must be positive, got " + timeout);
        } else if (timeout.compareTo(transactions) >= 0) {
            problems.add("checkpoint.timeout (" + timeout + ") must be below kafka.transaction-timeout (" + transactions
                    + "): the broker aborts the transactions of a checkpoint older than that");
        }
        if (minPause.isNegative()) {
            problems.add("checkpoint.min-pause must not be negative, got " + minPause);
        }
        if (tolerable < 0) {
            problems.add("checkpoint.tolerable-failures must not be negative, got " + tolerable);
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        Configuration conf = new Configuration();
        conf.set(ExecutionCheckpointingOptions.CHECKPOINTING_TIMEOUT, timeout);
        conf.set(ExecutionCheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, minPause);
        conf.set(ExecutionCheckpointingOptions.TOLERABLE_FAILURE_NUMBER, tolerable);
        return conf;
    }

    /** The restart strategy of every job, from {@code restart.*}. */
    public static Configuration restartStrategy(Settings settings) {
        Configuration conf = new Configuration();
        if (settings.get(PaystreamOptions.RESTART_ATTEMPTS) == 0) {
            // No restarts at all (tests that must see the first failure, or an operator's choice):
            // Flink's exponential-delay strategy refuses zero attempts.
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            return conf;
        }
        // Restarts in a row are bounded (a missing grant must not restart forever), but a job that
        // then ran well for restart.reset-after starts counting again: a fixed-delay strategy caps
        // restarts over the job's whole life, so a long-running job failed for good after its tenth
        // unrelated incident (a TaskManager lost in March, a Kafka restart in May, ...). The fault
        // soak, which injects dozens of failures into one run, is what showed it.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                settings.get(PaystreamOptions.RESTART_ATTEMPTS));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                settings.get(PaystreamOptions.RESTART_DELAY));
        // Doubling from restart.delay up to a minute: quick after one failure, gentle on a server
        // that stays away; no jitter, a single job has no herd to spread.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                max(settings.get(PaystreamOptions.RESTART_DELAY), Duration.ofMinutes(1)));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.0);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                settings.get(PaystreamOptions.RESTART_RESET_AFTER));
        return conf;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
