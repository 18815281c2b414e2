package io.paystream.gateway;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's counters, exported as Prometheus text on {@code GET /metrics}: requests by channel,
 * kind and answer, records published and failed by channel, requests in flight, open connections,
 * and the latency of notification requests (headers received to answer sent) as a histogram plus
 * its p50 and p99 since start.
 */
public final class GatewayMetrics {
    /** Exported bucket bounds (seconds). */
    private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Fine buckets for the quantiles: 10 % wide, from 10 µs to about 10 min. */
    private static final double FINE_BASE = 10e-6;

    private static final double FINE_FACTOR = 1.1;
    private static final int FINE_BUCKETS = 200;

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> published = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length);
    private final AtomicLongArray fine = new AtomicLongArray(FINE_BUCKETS + 1);
    private final LongAdder latencyCount = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();

    void request(Endpoint.Channel channel, String kind, String answer) {
        String key = "channel=\"" + (channel == null ? "none" : channel.label()) + "\",kind=\"" + kind + "\",answer=\""
                + answer + "\"";
        requests.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void published(Endpoint.Channel channel) {
        published.computeIfAbsent(channel.label(), k -> new LongAdder()).increment();
    }

    void failed(Endpoint.Channel channel, String reason) {
        failed.computeIfAbsent("channel=\"" + channel.label() + "\",reason=\"" + reason + "\"", k -> new LongAdder())
                .increment();
    }

    void latency(long nanos) {
        double seconds = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                buckets.incrementAndGet(i);
                break;
            }
        }
        int f = seconds <= FINE_BASE
                ? 0
                : Math.min(FINE_BUCKETS, 1 + (int) (Math.log(seconds / FINE_BASE) / Math.log(FINE_FACTOR)));
        fine.incrementAndGet(f);
        latencyCount.increment();
        latencyNanos.add(nanos);
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Records published (Kafka acknowledged them), all channels. */
    public long publishedTotal() {
        return published.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Records that could not be published (error or timeout), all channels. */
    public long failedTotal() {
        return failed.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Requests answered with {@code answer} (success, failure, forbidden, too_large, overloaded, ...). */
    public long requests(String answer) {
        long n = 0;
        for (Map.Entry<String, LongAdder> e : requests.entrySet()) {
            if (e.getKey().endsWith("answer=\"" + answer + "\"")) {
                n += e.getValue().sum();
            }
        }
        return n;
    }

    /** The latency quantile {@code q} (0..1) since start, in seconds (upper bound of its 10 % bucket); NaN if none. */
    public double latencyQuantile(double q) {
        long total = 0;
        long[] counts = new long[FINE_BUCKETS + 1];
        for (int i = 0; i <= FINE_BUCKETS; i++) {
            counts[i] = fine.get(i);
            total += counts[i];
        }
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i <= FINE_BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return FINE_BASE * Math.pow(FINE_FACTOR, i);
            }
        }
        return FINE_BASE * Math.pow(FINE_FACTOR, FINE_BUCKETS);
    }

    /** Prometheus text exposition format 0.0.4. */
    public String prometheus() {
        StringBuilder b = new StringBuilder(2048);
        counter(b, "paystream_gateway_requests_total", "Notification requests by channel, kind and answer.", requests);
        Map<String, LongAdder> pub = new TreeMap<>();
        published.forEach((k, v) -> pub.put("channel=\"" + k + "\"", v));
        counter(b, "paystream_gateway_published_total", "Notifications Kafka acknowledged (acks=all).", pub);
        counter(
                b,
                "paystream_gateway_publish_failed_total",
                "Notifications not acknowledged by Kafka (error, timeout, shutdown): answered with the failure answer.",
                failed);
        gauge(b, "paystream_gateway_in_flight", "Notification requests being handled.", inFlight.get());
        gauge(b, "paystream_gateway_connections", "Open HTTP connections.", connections.get());
        String h = "paystream_gateway_request_duration_seconds";
        b.append("# HELP ")
                .append(h)
                .append(" Notification requests, headers received to answer sent.\n# TYPE ")
                .append(h)
                .append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += buckets.get(i);
            b.append(h)
                    .append("_bucket{le=\"")
                    .append(BUCKETS[i])
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
        }
        long count = latencyCount.sum();
        b.append(h).append("_bucket{le=\"+Inf\"} ").append(count).append('\n');
        b.append(h).append("_sum ").append(latencyNanos.sum() / 1e9).append('\n');
        b.append(h).append("_count ").append(count).append('\n');
        gauge(b, h + "_p50", "Median latency since start (10 % resolution).", orZero(latencyQuantile(0.5)));
        gauge(b, h + "_p99", "99th percentile latency since start (10 % resolution).", orZero(latencyQuantile(0.99)));
        return b.toString();
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static void counter(StringBuilder b, String name, String help, Map<String, LongAdder> series) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(series)
                .forEach((labels, v) -> b.append(name)
                        .append('{')
                        .append(labels)
                        .append("} ")
                        .append(v.sum())
                        .append('\n'));
    }

    private static void gauge(StringBuilder b, String name, String help, double value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append(' ').append(value == Math.rint(value) ? String.valueOf((long) value) : value);
        b.append('\n');
    }
}
