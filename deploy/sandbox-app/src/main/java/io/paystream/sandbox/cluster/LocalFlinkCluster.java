package io.paystream.sandbox.cluster;

import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobMetrics;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/** A local Flink cluster with its web UI, running the paystream jobs of the sandbox. */
public final class LocalFlinkCluster implements AutoCloseable {
    /**
     * Packages a job jar (web UI "Submit New Job", {@code POST /jars/:id/run}) bundles and this JVM
     * has too, the same versions from the same build: loaded from here, not from the jar. Flink loads
     * {@code org.apache.flink.*} (the Kafka, Elasticsearch and CDC connectors) parent-first and the
     * rest of a jar child-first, so without these a connector and the job's code would each see their
     * own copy of the Kafka client ({@code LinkageError: loader constraint violation ...
     * OffsetsInitializer.committedOffsets(OffsetResetStrategy)}), of the Elasticsearch client and its
     * HTTP types, of Debezium and Kafka Connect (the CDC source's records), and the JDBC driver the
     * sandbox registered would not be visible to the jar's code ("No suitable driver"). The job's own
     * classes ({@code io.paystream}) still come from the jar, so a jar from another build runs its code.
     */
    static final List<String> SHARED_WITH_JOB_JARS =
            List.of("org.apache.kafka.", "org.elasticsearch.", "org.apache.http.", "io.debezium.", "com.mysql.");

    private final MiniCluster cluster;
    private final List<JobID> jobs = new ArrayList<>();

    private LocalFlinkCluster(MiniCluster cluster) {
        this.cluster = cluster;
    }

    public static LocalFlinkCluster start(int restPort, int slots, Path workDir) throws Exception {
        Configuration conf = new Configuration();
        // 0: the first free port from 8081 on (the endpoints say which).
        conf.set(RestOptions.BIND_PORT, restPort > 0 ? String.valueOf(restPort) : "8081-8199");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(512));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(128));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(128));
        // The jobs' counters for the status line (JobStatusTable), read in this JVM.
        JobMetrics.enable(conf);
        conf.setString("io.tmp.dirs", workDir.resolve("tmp").toString());
        conf.set(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL, SHARED_WITH_JOB_JARS);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        return new LocalFlinkCluster(cluster);
    }

    public URI webUi() throws Exception {
        return cluster.getRestAddress().get(10, TimeUnit.SECONDS);
    }

    /** Defines {@code job} from {@code settings} and submits it; returns its id. */
    public JobID submit(PaystreamJob<?, ?> job, Settings settings) throws Exception {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(new Configuration());
        JobRunner.define(job, settings, env);
        StreamGraph streamGraph = env.getStreamGraph();
        streamGraph.setJobName(job.name());
        JobGraph graph = streamGraph.getJobGraph();
        JobID id = cluster.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
        jobs.add(id);
        return id;
    }

    public String status(JobID id) {
        try {
            return cluster.getJobStatus(id).get(5, TimeUnit.SECONDS).name();
        } catch (Exception e) {
            return "UNKNOWN";
        }
    }

    @Override
    public void close() {
        for (JobID id : jobs) {
            try {
                cluster.cancelJob(id).get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // cancelled or finished already
            }
        }
        try {
            cluster.closeAsync().get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // shutting down anyway
        }
    }
}
