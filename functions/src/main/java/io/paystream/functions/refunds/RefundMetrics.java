package io.paystream.functions.refunds;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The per-refund operator's metrics, named as the payment watch's with "refund" in them. */
final class RefundMetrics {
    final Counter requeriesSent;
    final Counter lost;
    final Counter started;
    final Counter settled;
    final Counter replaysIgnored;
    final Counter outcomesPublished;
    final Counter duplicatesDropped;
    final Counter rejectedAmountMismatch;
    final Counter rejectedUnknownRefund;
    final Counter rejectedMismatch;

    RefundMetrics(MetricGroup metrics) {
        requeriesSent = metrics.counter("refundRequeriesSent");
        lost = metrics.counter("lostRefunds");
        started = metrics.counter("refundsWatched");
        settled = metrics.counter("refundsSettled");
        replaysIgnored = metrics.counter("refundReplaysIgnored");
        outcomesPublished = metrics.counter("refundOutcomesPublished");
        duplicatesDropped = metrics.counter("refundDuplicatesDropped");
        rejectedAmountMismatch = metrics.counter("refundsRejectedAmountMismatch");
        rejectedUnknownRefund = metrics.counter("refundsRejectedUnknown");
        rejectedMismatch = metrics.counter("refundsRejectedMismatch");
        metrics.gauge("openRefunds", () -> started.getCount() - settled.getCount());
    }
}
