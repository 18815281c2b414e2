package io.paystream.jobs.runtime;

import io.paystream.jobs.PaystreamJob;
import io.paystream.jobs.PaystreamJobs;
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

/** Runs a job from its command line: settings loaded and checked first, then the shared runtime. */
public final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private JobRunner() {}

    /** Loads a job's settings (shared options and its own) from arguments and environment. */
    public static Settings settings(PaystreamJob job, String[] args, Map<String, String> environment) {
        return settings(job, Map.of(), args, environment);
    }

    /**
     * Loads a job's settings from every layer: the {@code paystream.*} entries of the Flink
     * configuration it is submitted with, a {@code --config} file, the environment and arguments.
     * Settings of the other paystream jobs in the Flink configuration are ignored, not refused.
     */
    public static Settings settings(
            PaystreamJob job, Map<String, String> flinkConfiguration, String[] args, Map<String, String> environment) {
        Set<String> own = new HashSet<>();
        options(job).forEach(o -> own.add(o.key()));
        Set<String> others = new TreeSet<>();
        for (PaystreamJob other : PaystreamJobs.all()) {
            options(other).stream()
                    .map(ConfigOption::key)
                    .filter(k -> !own.contains(k))
                    .forEach(others::add);
        }
        return Settings.load(flinkConfiguration, others, args, environment, options(job));
    }

    public static List<ConfigOption<?>> options(PaystreamJob job) {
        List<ConfigOption<?>> all = new ArrayList<>(PaystreamOptions.declaredIn(PaystreamOptions.class));
        all.addAll(job.options());
        return all;
    }

    /** Defines {@code job} on a configured environment; the caller executes it. */
    public static StreamExecutionEnvironment define(
            PaystreamJob job, Settings settings, StreamExecutionEnvironment env) {
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

    /**
     * The job's main: the environment's configuration is the one {@code flink run} (the client's
     * {@code config.yaml} and {@code -D} options) or the application cluster (a FlinkDeployment's
     * {@code flinkConfiguration}) submits with, so its {@code paystream.*} entries are settings.
     */
    public static void run(PaystreamJob job, String[] args) throws Exception {
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
