package io.paystream.jobs.runtime;

import io.paystream.jobs.PaystreamJob;
import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs a job from its command line: settings loaded and checked first, then the shared runtime. */
public final class JobRunner {
    private JobRunner() {}

    /** Loads a job's settings (shared options and its own) from arguments and environment. */
    public static Settings settings(PaystreamJob job, String[] args, Map<String, String> environment) {
        return Settings.load(args, environment, options(job));
    }

    public static List<ConfigOption<?>> options(PaystreamJob job) {
        List<ConfigOption<?>> all = new ArrayList<>(PaystreamOptions.declaredIn(PaystreamOptions.class));
        all.addAll(job.options());
        return all;
    }

    /** Defines {@code job} on a configured environment; the caller executes it. */
    public static StreamExecutionEnvironment define(PaystreamJob job, Settings settings, StreamExecutionEnvironment env) {
        JobEnvironment.configure(env, settings);
        // State is matched to operators by uid: an operator without one of its own would get a
        // hash of the graph's shape, which any edit changes, and lose its state on an upgrade.
        // Flink then refuses the job at submission instead (JobGraphAuditTest).
        Configuration uids = new Configuration();
        uids.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        env.configure(uids);
        job.define(env, settings);
        return env;
    }

    public static void run(PaystreamJob job, String[] args) throws Exception {
        Settings settings = settings(job, args, System.getenv());
        StreamExecutionEnvironment env = define(job, settings, StreamExecutionEnvironment.getExecutionEnvironment());
        env.execute("paystream " + job.name());
    }
}
