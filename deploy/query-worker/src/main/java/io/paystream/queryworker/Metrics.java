package io.paystream.queryworker;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The worker's counters, gauges and latency histograms, rendered in Prometheus' text format. */
public final class Metrics {
    static final String PREFIX = "paystream_query_worker_";
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();

    private static final class Histogram {
        final AtomicLong[] buckets = new AtomicLong[BUCKETS.length];
        final LongAdder count = new LongAdder();
        final AtomicLong sumNanos = new AtomicLong();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new AtomicLong();
            }
        }
    }

    /** {@code name{labels}} += 1; labels as {@code k="v",...} or empty. */
    void inc(String name, String labels) {
        counters.computeIfAbsent(series(name, labels), k -> new LongAdder()).increment();
    }

    void gauge(String name, LongSupplier value) {
        gauges.put(PREFIX + name, value);
    }

    void latency(String channel, long nanos) {
        Histogram h = latencies.computeIfAbsent(channel, k -> new Histogram());
        double s = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (s <= BUCKETS[i]) {
                h.buckets[i].incrementAndGet();
            }
        }
        h.count.increment();
        h.sumNanos.addAndGet(nanos);
    }

    /** The value of a counter series ({@code name} without the prefix), 0 if never counted. */
    public long counter(String name, String labels) {
        LongAdder a = counters.get(series(name, labels));
        return a == null ? 0 : a.sum();
    }

    /** The sum of a counter over all its label sets. */
    public long counterTotal(String name) {
        long total = 0;
        for (Map.Entry<String, LongAdder> e : counters.entrySet()) {
            if (e.getKey().equals(PREFIX + name) || e.getKey().startsWith(PREFIX + name + "{")) {
                total += e.getValue().sum();
            }
        }
        return total;
    }

    private static String series(String name, String labels) {
        return PREFIX + name + (labels == null || labels.isEmpty() ? "" : "{" + labels + "}");
    }

    String render() {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(counters)
                .forEach((k, v) -> b.append(k).append(' ').append(v.sum()).append('\n'));
        new TreeMap<>(gauges)
                .forEach((k, v) -> b.append(k).append(' ').append(v.getAsLong()).append('\n'));
        String h = PREFIX + "query_latency_seconds";
        new TreeMap<>(latencies).forEach((channel, hist) -> {
            for (int i = 0; i < BUCKETS.length; i++) {
                b.append(h)
                        .append("_bucket{channel=\"")
                        .append(channel)
                        .append("\",le=\"")
                        .append(BUCKETS[i])
                        .append("\"} ")
                        .append(hist.buckets[i].get())
                        .append('\n');
            }
            b.append(h)
                    .append("_bucket{channel=\"")
                    .append(channel)
                    .append("\",le=\"+Inf\"} ")
                    .append(hist.count.sum())
                    .append('\n');
            b.append(h)
                    .append("_sum{channel=\"")
                    .append(channel)
                    .append("\"} ")
                    .append(hist.sumNanos.get() / 1e9)
                    .append('\n');
            b.append(h)
                    .append("_count{channel=\"")
                    .append(channel)
                    .append("\"} ")
                    .append(hist.count.sum())
                    .append('\n');
        });
        return b.toString();
    }
}
