package io.paystream.bench;

import io.paystream.servers.ScratchDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The runtime of every benchmark: RocksDB, incremental checkpoints every 10 s, object reuse, no
 * Kryo. Two system properties change it, to measure what a setting costs: {@code
 * bench.checkpoint-interval} (a duration, default {@code 10s}) and {@code bench.timers} ({@code
 * rocksdb}, the jobs' default, or {@code heap}: Flink's timer service on the heap, snapshotted
 * with each checkpoint).
 */
final class BenchEnv {
    private BenchEnv() {}

    static StreamExecutionEnvironment create(int parallelism) throws Exception {
        return create(parallelism, new Configuration());
    }

    /** The same runtime, with {@code extra} (e.g. a metric reporter) added to the local cluster's configuration. */
    static StreamExecutionEnvironment create(int parallelism, Configuration extra) throws Exception {
        Configuration conf = new Configuration(extra);
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        Path dir = ScratchDirectories.create("paystream-bench-checkpoints");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
        conf.set(
                ExecutionCheckpointingOptions.CHECKPOINTING_INTERVAL,
                org.apache.flink.util.TimeUtils.parseDuration(System.getProperty("bench.checkpoint-interval", "10s")));
        String timers = System.getProperty("bench.timers", "rocksdb");
        if (!timers.equals("rocksdb") && !timers.equals("heap")) {
            throw new IllegalArgumentException("bench.timers must be rocksdb or heap, not " + timers);
        }
        conf.set(
                org.apache.flink.contrib.streaming.state.RocksDBOptions.TIMER_SERVICE_FACTORY,
                timers.equals("heap")
                        ? org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend.PriorityQueueStateType
                                .HEAP
                        : org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend.PriorityQueueStateType
                                .ROCKSDB);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(1024));
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, Math.max(2, parallelism));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        env.setMaxParallelism(128);
        return env;
    }

    static long directorySize(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
