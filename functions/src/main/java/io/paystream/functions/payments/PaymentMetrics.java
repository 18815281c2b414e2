package io.paystream.functions.payments;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/** The per-payment operator's metrics (names as in the README and the sandbox's status line). */
final class PaymentMetrics {
    final Counter requeriesSent;
    final Counter lostExternal;
    final Counter recoveredByQuery;
    final Counter started;
    final Counter settled;
    final Counter replaysIgnored;
    final Counter outcomesPublished;
    final Counter duplicatesDropped;
    final Counter rejectedAmountMismatch;
    final Counter rejectedUnknownPayment;
    final Counter rejectedChannelMismatch;
    final Histogram detectionLagMs;

    PaymentMetrics(MetricGroup metrics) {
        requeriesSent = metrics.counter("requeriesSent");
        lostExternal = metrics.counter("lostPaymentsExternal");
        recoveredByQuery = metrics.counter("recoveredByQuery");
        started = metrics.counter("paymentsWatched");
        settled = metrics.counter("paymentsSettled");
        replaysIgnored = metrics.counter("replaysIgnored");
        outcomesPublished = metrics.counter("outcomesPublished");
        duplicatesDropped = metrics.counter("duplicatesDropped");
        rejectedAmountMismatch = metrics.counter("rejectedAmountMismatch");
        rejectedUnknownPayment = metrics.counter("rejectedUnknownPayment");
        rejectedChannelMismatch = metrics.counter("rejectedChannelMismatch");
        metrics.gauge("openPayments", () -> started.getCount() - settled.getCount());
        detectionLagMs = metrics.histogram("requeryLagMs", new DescriptiveStatisticsHistogram(10_000));
    }
}
