package io.paystream.functions.refunds;

import io.paystream.state.contract.Alert;
import io.paystream.state.contract.Money;
import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundStatus;
import io.paystream.state.refunds.RefundWatch;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;

/**
 * Notifications waiting for their refund's row (AWAITING_ROW), and a verified notification against
 * the refund's known row (REQUERYING or REMEMBERED): rejected when the row refutes it (another
 * channel, another payment, more money than the refund), counted when it tells no outcome yet,
 * dropped when it is a resend, else published once, which ends a running schedule.
 */
final class RefundNotifications {
    private final RefundTimeouts fn;
    /** Notifications of a refund in AWAITING_ROW, in arrival order. */
    private final ListState<RefundNotification> awaitingRow;

    RefundNotifications(RefundTimeouts fn, ListState<RefundNotification> awaitingRow) {
        this.fn = fn;
        this.awaitingRow = awaitingRow;
    }

    /** AWAITING_ROW: kept until the row comes or the wait is over. */
    void awaitRow(RefundNotification n) throws Exception {
        awaitingRow.add(n);
    }

    /** The waiting notifications, taken out of the state. */
    List<RefundNotification> drainAwaiting() throws Exception {
        List<RefundNotification> out = waiting();
        if (!out.isEmpty()) {
            awaitingRow.clear();
        }
        return out;
    }

    /** Rejects every waiting notification as UNKNOWN_REFUND (the row was deleted). */
    void rejectAwaiting(RefundTimeouts.Context ctx, String reason) throws Exception {
        alert(ctx, drainAwaiting(), reason);
    }

    /** Alerts every waiting notification as UNKNOWN_REFUND, keeping them for a late row. */
    void alertAwaiting(RefundTimeouts.Context ctx, String reason) throws Exception {
        alert(ctx, waiting(), reason);
    }

    /** Drops the waiting notifications, already alerted: their refund is not the shop's. */
    void forgetAwaiting() {
        awaitingRow.clear();
    }

    private List<RefundNotification> waiting() throws Exception {
        List<RefundNotification> out = new ArrayList<>();
        Iterable<RefundNotification> it = awaitingRow.get();
        if (it != null) {
            it.forEach(out::add);
        }
        return out;
    }

    private void alert(RefundTimeouts.Context ctx, List<RefundNotification> notifications, String reason) {
        long now = ctx.timerService().currentProcessingTime();
        for (RefundNotification n : notifications) {
            // No row: the payment is the one the signed notification names (null for UnionPay).
            ctx.output(
                    RefundTimeouts.ALERTS,
                    RefundMessages.rejection(Alert.UNKNOWN_REFUND, n, n.paymentId, null, reason, now));
            fn.metrics.rejectedUnknownRefund.inc();
        }
    }

    void onNotification(RefundWatch w, RefundNotification n, RefundTimeouts.Context ctx) throws Exception {
        if (refutedByRow(w, n, ctx)) {
            return;
        }
        if (n.status == null) {
            // The channel knows no outcome yet (a query answered PROCESSING): the schedule goes on.
            if (w.isRequerying()) {
                w.answersWithoutOutcome++;
                fn.watch.update(w);
            }
            return;
        }
        if (!RefundOutcomes.isNewFact(w.publishedOutcomes, n.status)) {
            // A resend, or a late copy of an earlier answer (anything after SUCCESS or CLOSED).
            fn.metrics.duplicatesDropped.inc();
            return;
        }
        publish(w, n, ctx);
    }

    /**
     * Rejects, with an alert, a notification of another channel or another payment than the row's
     * (FORGED_CALLBACK: signed, but not about this refund as the shop knows it), or one that claims
     * more money than the refund is for (AMOUNT_MISMATCH). A notification that names no payment
     * (UnionPay) or states no amount of its own (Alipay) is not refuted by what it does not say.
     */
    private boolean refutedByRow(RefundWatch w, RefundNotification n, RefundTimeouts.Context ctx) {
        if (n.channel != w.channel) {
            String reason = "a " + n.channel + " notification for " + w.channel + " refund " + n.refundId;
            reject(Alert.FORGED_CALLBACK, n, w, reason, ctx);
            fn.metrics.rejectedMismatch.inc();
            return true;
        }
        if (n.paymentId != null && !n.paymentId.equals(w.paymentId)) {
            String reason = n.channel + " says refund " + n.refundId + " is of payment " + n.paymentId
                    + ", the refund row says payment " + w.paymentId;
            reject(Alert.FORGED_CALLBACK, n, w, reason, ctx);
            fn.metrics.rejectedMismatch.inc();
            return true;
        }
        if (n.refundAmountCents != null && n.refundAmountCents > w.amountCents) {
            String reason = n.channel + " says refund " + n.refundId + " is " + Money.yuan(n.refundAmountCents)
                    + ", the refund is for " + Money.yuan(w.amountCents);
            reject(Alert.AMOUNT_MISMATCH, n, w, reason, ctx);
            fn.metrics.rejectedAmountMismatch.inc();
            return true;
        }
        return false;
    }

    private void reject(String type, RefundNotification n, RefundWatch w, String reason, RefundTimeouts.Context ctx) {
        long now = ctx.timerService().currentProcessingTime();
        ctx.output(RefundTimeouts.ALERTS, RefundMessages.rejection(type, n, w.paymentId, w.orderId, reason, now));
    }

    /** Publishes a new outcome; it ends the schedule, even before the payment center writes it to the row. */
    private void publish(RefundWatch w, RefundNotification n, RefundTimeouts.Context ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        ctx.output(RefundTimeouts.OUTCOMES, RefundMessages.outcome(n, w, now));
        fn.metrics.outcomesPublished.inc();
        w.publishedOutcomes = RefundOutcomes.with(w.publishedOutcomes, n.status);
        if (n.status == RefundStatus.SUCCESS) {
            w.refundedCents = RefundMessages.refundedCents(n, w);
        }
        if (w.isRequerying()) {
            fn.timers.endSchedule(w, ctx);
        }
        fn.timers.remember(w, ctx);
    }
}
