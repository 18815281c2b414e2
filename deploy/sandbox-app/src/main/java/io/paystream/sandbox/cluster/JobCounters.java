package io.paystream.sandbox.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;

/**
 * The business metrics of the jobs running in the sandbox, summed over subtasks, as the
 * {@link StatusReporter} registers them. Read by the status line; written by Flink's metric system.
 */
public final class JobCounters {
    private static final Map<String, List<Metric>> BY_KEY = new ConcurrentHashMap<>();

    private JobCounters() {}

    static void add(String job, String name, Metric metric) {
        BY_KEY.computeIfAbsent(job + "/" + name, k -> new CopyOnWriteArrayList<>())
                .add(metric);
    }

    static void remove(String job, String name, Metric metric) {
        List<Metric> l = BY_KEY.get(job + "/" + name);
        if (l != null) {
            l.remove(metric);
        }
    }

    /** Sum of a counter (or numeric gauge) over every subtask of {@code job}; 0 if not registered. */
    public static long value(String job, String name) {
        long sum = 0;
        for (Metric m : BY_KEY.getOrDefault(job + "/" + name, List.of())) {
            if (m instanceof Counter) {
                sum += ((Counter) m).getCount();
            } else if (m instanceof Gauge) {
                Object v = ((Gauge<?>) m).getValue();
                if (v instanceof Number) {
                    sum += ((Number) v).longValue();
                }
            }
        }
        return sum;
    }
}
