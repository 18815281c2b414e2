package io.paystream.jobs.testing;

import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * A metric reporter for tests that run jobs on a local MiniCluster: it hands the operators' own
 * metrics to the test, by job name and metric name, summed over subtasks, so a test can wait for
 * "the writer is retrying" instead of guessing with a sleep.
 */
public final class MetricsProbe implements MetricReporter {
    private static final Map<String, List<Metric>> BY_KEY = new ConcurrentHashMap<>();

    /** Adds the probe to a MiniCluster's configuration. */
    public static Configuration enable(Configuration conf) {
        conf.setString("metrics.reporter.probe.factory.class", Factory.class.getName());
        return conf;
    }

    /** Sum of a counter or numeric gauge over the subtasks of {@code job}; 0 if not registered. */
    public static long value(String job, String name) {
        long sum = 0;
        for (Metric m : BY_KEY.getOrDefault(job + "/" + name, List.of())) {
            if (m instanceof Counter) {
                sum += ((Counter) m).getCount();
            } else if (m instanceof Gauge && ((Gauge<?>) m).getValue() instanceof Number) {
                sum += ((Number) ((Gauge<?>) m).getValue()).longValue();
            }
        }
        return sum;
    }

    /** The histograms of that name, one per subtask. */
    public static List<Histogram> histograms(String job, String name) {
        return BY_KEY.getOrDefault(job + "/" + name, List.of()).stream()
                .filter(m -> m instanceof Histogram)
                .map(m -> (Histogram) m)
                .toList();
    }

    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new MetricsProbe();
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
            BY_KEY.computeIfAbsent(job + "/" + metricName, k -> new CopyOnWriteArrayList<>())
                    .add(metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        String job = group.getAllVariables().get("<job_name>");
        if (job != null) {
            List<Metric> l = BY_KEY.get(job + "/" + metricName);
            if (l != null) {
                l.remove(metric);
            }
        }
    }
}
