package io.paystream.jobs.runtime;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import java.time.Duration;
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
        conf.set(
                ExecutionCheckpointingOptions.CHECKPOINTING_TIMEOUT, settings.get(PaystreamOptions.CHECKPOINT_TIMEOUT));
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

    /** The restart strategy of every job, from {@code restart.*}. */
    public static Configuration restartStrategy(Settings settings) {
        Configuration conf = new Configuration();
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
