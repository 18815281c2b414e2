package io.paystream.sandbox.cluster;

import java.util.Properties;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that hands the operators' metrics to {@link JobCounters}, keyed by job
 * name and metric name, so the sandbox status line reads the very counters the web UI shows.
 */
public final class StatusReporter implements MetricReporter {

    /** Registered with {@code metrics.reporter.status.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new StatusReporter();
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
            JobCounters.add(job, metricName, metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        String job = group.getAllVariables().get("<job_name>");
        if (job != null) {
            JobCounters.remove(job, metricName, metric);
        }
    }
}
