package io.paystream.jobs.runtime;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
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
        // A cancelled job keeps its last checkpoint, so an operator can still resume from it.
        conf.set(
                ExecutionCheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.MAX_PARALLELISM, settings.get(PaystreamOptions.MAX_PARALLELISM));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                settings.get(PaystreamOptions.RESTART_ATTEMPTS));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                settings.get(PaystreamOptions.RESTART_DELAY));
        env.configure(conf);
        if (settings.isSet(PaystreamOptions.PARALLELISM)) {
            env.setParallelism(settings.get(PaystreamOptions.PARALLELISM));
        }
        env.setMaxParallelism(settings.get(PaystreamOptions.MAX_PARALLELISM));
    }
}
