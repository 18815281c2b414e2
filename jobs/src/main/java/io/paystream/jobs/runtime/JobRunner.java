package io.paystream.jobs.runtime;

import io.paystream.jobs.config.PaystreamOptions;
import io.paystream.jobs.config.Settings;
import io.paystream.jobs.mapping.InvalidMappingException;
import io.paystream.jobs.mapping.MappingCheck;
import io.paystream.jobs.mapping.ShopMapping;
import io.paystream.state.cdc.ShopTable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link PaystreamJob}: settings loaded and checked first, then the shared runtime
 * ({@link JobEnvironment}), the job's one wiring step from its inputs, and the sinks of its outputs.
 * Production runs the real inputs and sinks ({@link #run}); tests and benchmarks run the same
 * wiring with inputs of their own ({@link #define(PaystreamJob, Settings, StreamExecutionEnvironment,
 * JobInputs)}) or attach their own sinks to the outputs ({@link #wire}).
 */
public final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private JobRunner() {}

    /** Loads a job's settings (shared options and its own) from arguments and environment. */
    public static Settings settings(PaystreamJob<?, ?> job, String[] args, Map<String, String> environment) {
        return settings(job, Map.of(), args, environment);
    }

    /**
     * Loads a job's settings from every layer: the {@code paystream.*} entries of the Flink
     * configuration it is submitted with, a {@code --config} file, the environment and arguments.
     * Settings of the other paystream jobs in the Flink configuration are ignored, not refused.
     */
    public static Settings settings(
            PaystreamJob<?, ?> job,
            Map<String, String> flinkConfiguration,
            String[] args,
            Map<String, String> environment) {
        Set<String> own = new HashSet<>();
        options(job).forEach(o -> own.add(o.key()));
        Set<String> others = new TreeSet<>();
        for (PaystreamJob<?, ?> other : PaystreamJobs.all()) {
            options(other).stream()
                    .map(ConfigOption::key)
                    .filter(k -> !own.contains(k))
                    .forEach(others::add);
        }
        return Settings.load(flinkConfiguration, others, args, environment, options(job));
    }

    public static List<ConfigOption<?>> options(PaystreamJob<?, ?> job) {
        List<ConfigOption<?>> all = new ArrayList<>(PaystreamOptions.declaredIn(PaystreamOptions.class));
        all.addAll(job.options());
        return all;
    }

    /** Defines {@code job} with its real inputs and sinks on {@code env}; the caller executes it. */
    public static StreamExecutionEnvironment define(
            PaystreamJob<?, ?> job, Settings settings, StreamExecutionEnvironment env) {
        return defineWithRealInputs(job, settings, env);
    }

    private static <I extends JobInputs, O extends JobOutputs> StreamExecutionEnvironment defineWithRealInputs(
            PaystreamJob<I, O> job, Settings settings, StreamExecutionEnvironment env) {
        return define(job, settings, env, job.inputs(settings));
    }

    /** Defines {@code job} reading {@code inputs}, with its real sinks; the caller executes it. */
    public static <I extends JobInputs, O extends JobOutputs> StreamExecutionEnvironment define(
            PaystreamJob<I, O> job, Settings settings, StreamExecutionEnvironment env, I inputs) {
        job.sinkTo(wire(job, settings, env, inputs), settings);
        return env;
    }

    /**
     * The shared runtime and the job's wiring from {@code inputs}, without sinks: the caller
     * attaches its own to the outputs (e.g. a benchmark that discards some) and executes it.
     */
    public static <I extends JobInputs, O extends JobOutputs> O wire(
            PaystreamJob<I, O> job, Settings settings, StreamExecutionEnvironment env, I inputs) {
        JobEnvironment.configure(env, settings);
        // State is matched to operators by uid: an operator without one of its own would get a
        // hash of the graph's shape, which any edit changes, and lose its state on an upgrade.
        // Flink then refuses the job at submission instead (JobGraphAuditTest).
        Configuration uids = new Configuration();
        uids.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        env.configure(uids);
        return job.wire(env, inputs, settings);
    }

    /**
     * The job's main: the environment's configuration is the one {@code flink run} (the client's
     * {@code config.yaml} and {@code -D} options) or the application cluster (a FlinkDeployment's
     * {@code flinkConfiguration}) submits with, so its {@code paystream.*} entries are settings.
     */
    public static void run(PaystreamJob<?, ?> job, String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Settings settings = settings(job, env.getConfiguration().toMap(), args, System.getenv());
        checkMapping(settings);
        define(job, settings, env).execute("paystream " + job.name());
    }

    /**
     * Prints what the table mapping reads and which optional features are off, and (unless
     * {@code mysql.check-on-start} is false) refuses to start when the live servers do not fit it.
     */
    static void checkMapping(Settings settings) {
        ShopMapping mapping = ShopMapping.load(settings, System.getenv());
        LOG.info("table mapping: {}", mapping.origin);
        mapping.describeTables().forEach(l -> LOG.info("  {}", l));
        mapping.features().forEach(l -> LOG.info("  {}", l));
        if (settings.get(PaystreamOptions.MYSQL_CHECK_ON_START)) {
            MappingCheck.Report report = MappingCheck.check(mapping, EnumSet.allOf(ShopTable.class));
            if (!report.ok()) {
                throw new InvalidMappingException(report.problems);
            }
        }
    }
}
