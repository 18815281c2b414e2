package io.paystream.jobs.runtime;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The operators' own metrics of the jobs running on a cluster in this JVM (a MiniCluster: the
 * sandbox's, the tests' and the benchmarks'), by job name and metric name, summed over subtasks: a
 * Flink metric reporter, added to the cluster's configuration by {@link #enable}. The very counters
 * the web UI shows; the sandbox's status line and the tests (waiting for "the writer is retrying"
 * instead of guessing with a sleep) read them here.
 */
public final class JobMetrics implements MetricReporter {
    private static final Map<String, List<Metric>> BY_KEY = new ConcurrentHashMap<>();

    /** Adds the reporter to a MiniCluster's configuration; returns {@code conf}. */
    public static Configuration enable(Configuration conf) {
        conf.setString("metrics.reporter.paystream.factory.class", Factory.class.getName());
        return conf;
    }

    /** Sum of a counter or numeric gauge over the subtasks of {@code job}; 0 if not registered. */
    public static long value(String job, String name) {
        long sum = 0;
        for (Metric m : metrics(job, name)) {
            if (m instanceof Counter c) {
                sum += c.getCount();
            } else if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                sum += n.longValue();
            }
        }
        return sum;
    }

    /**
     * Largest value of a counter or numeric gauge over the subtasks and operators of {@code job}; 0
     * if not registered. For gauges where the worst one matters, e.g. {@code binlogLagMs} of a job
     * reading several servers.
     */
    public static long max(String job, String name) {
        long max = 0;
        for (Metric m : metrics(job, name)) {
            if (m instanceof Counter c) {
                max = Math.max(max, c.getCount());
            } else if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                max = Math.max(max, n.longValue());
            }
        }
        return max;
    }

    /** Whether {@code job} has registered a metric of that name (on a running subtask). */
    public static boolean registered(String job, String name) {
        return !metrics(job, name).isEmpty();
    }

    /**
     * Sum of a counter or numeric gauge over the subtasks of one operator of {@code job}, by the
     * operator's name (its own metrics, e.g. {@code numRecordsIn}); 0 if not registered.
     */
    public static long operatorValue(String job, String operator, String name) {
        return value(job, scoped(OPERATOR, operator, name));
    }

    /**
     * Sum of a counter or numeric gauge over the subtasks of one task of {@code job}, by its
     * chain's name (the task's metrics, e.g. {@code accumulateBusyTimeMs}); 0 if not registered.
     */
    public static long taskValue(String job, String task, String name) {
        return value(job, scoped(TASK, task, name));
    }

    /** The operators of {@code job} that registered a metric of that name. */
    public static SortedSet<String> operators(String job, String name) {
        return scopes(job, OPERATOR, name);
    }

    /** The tasks (by their chains' names) of {@code job} that registered a metric of that name. */
    public static SortedSet<String> tasks(String job, String name) {
        return scopes(job, TASK, name);
    }

    private static SortedSet<String> scopes(String job, String kind, String name) {
        SortedSet<String> scopes = new TreeSet<>();
        String prefix = key(job, kind + SCOPE);
        String suffix = SCOPE + name;
        BY_KEY.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.endsWith(suffix) && !v.isEmpty()) {
                scopes.add(k.substring(prefix.length(), k.length() - suffix.length()));
            }
        });
        return scopes;
    }

    /** The histograms of that name, one per subtask. */
    public static List<Histogram> histograms(String job, String name) {
        return metrics(job, name).stream()
                .filter(m -> m instanceof Histogram)
                .map(m -> (Histogram) m)
                .toList();
    }

    private static List<Metric> metrics(String job, String name) {
        return BY_KEY.getOrDefault(key(job, name), List.of());
    }

    private static String key(String job, String name) {
        return job + "/" + name;
    }

    /** Separates the parts of a scoped key (names hold no NUL). */
    private static final String SCOPE = "\u0000";

    private static final String OPERATOR = "operator";
    private static final String TASK = "task";

    private static String scoped(String kind, String scope, String name) {
        return kind + SCOPE + scope + SCOPE + name;
    }

    /** An operator's metric by the operator's name, a task's by its chain's; null for others. */
    private static String scopedName(MetricGroup group, String name) {
        Map<String, String> variables = group.getAllVariables();
        String operator = variables.get("<operator_name>");
        if (operator != null) {
            return scoped(OPERATOR, operator, name);
        }
        String task = variables.get("<task_name>");
        return task == null ? null : scoped(TASK, task, name);
    }

    /** Registered with {@code metrics.reporter.<name>.factory.class} (see {@link #enable}). */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new JobMetrics();
        }
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        String job = group.getAllVariables().get("<job_name>");
        if (job != null) {
            BY_KEY.computeIfAbsent(key(job, metricName), k -> new CopyOnWriteArrayList<>())
                    .add(metric);
            String scoped = scopedName(group, metricName);
            if (scoped != null) {
                BY_KEY.computeIfAbsent(key(job, scoped), k -> new CopyOnWriteArrayList<>())
                        .add(metric);
            }
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        String job = group.getAllVariables().get("<job_name>");
        if (job != null) {
            List<Metric> l = BY_KEY.get(key(job, metricName));
            if (l != null) {
                l.remove(metric);
            }
            String scoped = scopedName(group, metricName);
            List<Metric> s = scoped == null ? null : BY_KEY.get(key(job, scoped));
            if (s != null) {
                s.remove(metric);
            }
        }
    }
}
