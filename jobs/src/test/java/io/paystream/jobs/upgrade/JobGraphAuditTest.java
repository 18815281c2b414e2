package io.paystream.jobs.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.paystream.channels.SimulatedChannels;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.runtime.JobRunner;
import io.paystream.jobs.runtime.PaystreamJob;
import io.paystream.jobs.runtime.PaystreamJobs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What savepoint upgrades rely on, checked on the real job graphs ({@link JobRunner#define}): every
 * operator has a uid given by paystream (state is matched to operators by uid; an auto-generated
 * one changes with any edit of the graph) and a name people can read, the max parallelism (the
 * number of key groups) is fixed, and generic types are off (no state silently falls back to Kryo,
 * which cannot evolve).
 */
class JobGraphAuditTest {

    static List<PaystreamJob<?, ?>> jobs() {
        return PaystreamJobs.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void everyOperatorHasAUserUidAndANameAndTheRuntimeIsFixed(PaystreamJob<?, ?> job, @TempDir Path keys) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        JobRunner.define(job, settings(job, keys), env);
        StreamGraph graph = env.getStreamGraph();

        List<String> problems = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        for (StreamNode node : graph.getStreamNodes()) {
            String uid = node.getTransformationUID();
            String name = node.getOperatorName();
            if (uid == null || uid.isBlank()) {
                problems.add("operator '" + name + "' has no uid of its own");
            } else if (!uids.add(uid)) {
                problems.add("uid '" + uid + "' is used twice");
            }
            if (name == null
                    || name.isBlank()
                    || name.matches("(?i)(Map|Filter|Flat Map|Process|Sink: Unnamed|Source: Custom Source)")) {
                problems.add("operator " + uid + " has no readable name: '" + name + "'");
            }
        }
        assertThat(problems)
                .as(job.name() + ": operators without a stable identity")
                .isEmpty();
        assertThat(graph.getStreamNodes()).as("operators of " + job.name()).hasSizeGreaterThan(3);

        assertThat(env.getConfig().getMaxParallelism()).as("max parallelism").isEqualTo(128);
        assertThat(graph.getExecutionConfig().getMaxParallelism())
                .as("max parallelism in the job's config")
                .isEqualTo(128);
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled())
                .as("generic types disabled")
                .isTrue();
        assertThat(env.getConfiguration().get(PipelineOptions.AUTO_GENERATE_UIDS))
                .as("the job refuses to run with an operator that has no uid")
                .isFalse();
        // Building the job graph hashes every operator: with auto-generated uids off it throws for one without.
        assertThat(graph.getJobGraph().getNumberOfVertices()).isPositive();
    }

    static Settings settings(PaystreamJob<?, ?> job, Path keys) {
        List<String> args = new ArrayList<>(List.of("--mysql.password", "not-used"));
        if (job.name().equals("payments")) {
            SimulatedChannels.generate().publish(keys).forEach((k, v) -> {
                args.add("--" + k);
                args.add(v);
            });
        }
        if (job.name().equals("reconciliation")) {
            args.addAll(List.of("--reconcile.bills.path", keys.toString(), "--reconcile.first-day", "2026-12-01"));
        }
        return JobRunner.settings(job, args.toArray(new String[0]), Map.of());
    }
}
