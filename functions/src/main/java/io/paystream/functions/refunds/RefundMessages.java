package io.paystream.functions.refunds;

import io.paystream.state.contract.Alert;
import io.paystream.state.contract.Money;
import io.paystream.state.refunds.RefundNotification;
import io.paystream.state.refunds.RefundOutcome;
import io.paystream.state.refunds.RefundRequeryCommand;
import io.paystream.state.refunds.RefundStatus;
import io.paystream.state.refunds.RefundWatch;

/** What the per-refund operator emits, built from its state: commands, outcomes and alerts. */
final class RefundMessages {
    private RefundMessages() {}

    /** Refund re-query {@code w.nextAttempt} of {@code maxAttempts}, due at {@code dueAt}. */
    static RefundRequeryCommand requery(String refundId, RefundWatch w, int maxAttempts, long dueAt, long now) {
        RefundRequeryCommand cmd = new RefundRequeryCommand();
        cmd.refundId = refundId;
        cmd.paymentId = w.paymentId;
        cmd.orderId = w.orderId;
        cmd.channel = w.channel.name();
        cmd.channelRefundId = w.channelRefundId;
        cmd.attempt = w.nextAttempt;
        cmd.maxAttempts = maxAttempts;
        cmd.refundingVersion = w.refundingVersion;
        cmd.refundingSince = w.refundingSince;
        cmd.dueAt = dueAt;
        cmd.emittedAt = now;
        cmd.commandId = RefundRequeryCommand.commandId(refundId, w.refundingVersion, w.nextAttempt);
        return cmd;
    }

    /** No outcome {@code answerTimeoutMs} after the last of {@code maxAttempts} refund re-queries. */
    static Alert lost(String refundId, RefundWatch w, int maxAttempts, long answerTimeoutMs, long now) {
        Alert a = new Alert();
        a.type = Alert.LOST_REFUND;
        a.alertId = a.type + ":" + refundId + ":" + w.refundingVersion;
        a.refundId = refundId;
        a.paymentId = w.paymentId;
        a.orderId = w.orderId;
        a.channel = w.channel.name();
        a.amount = Money.yuan(w.amountCents);
        a.reason = "refund " + refundId + " of payment " + w.paymentId + ": no outcome " + answerTimeoutMs / 1000
                + " s after refund re-query " + maxAttempts + " of " + maxAttempts + " (REFUNDING since "
                + w.refundingSince + ")";
        a.raisedAt = now;
        return a;
    }

    /**
     * A verified refund notification rejected: refuted by its refund row, or without one.
     * {@code paymentId} and {@code orderId} are the row's when known, else the notification's own
     * (signed, so verified; null when it names none).
     */
    static Alert rejection(String type, RefundNotification n, String paymentId, Long orderId, String reason, long now) {
        Alert a = new Alert();
        a.type = type;
        a.alertId = type + ":" + n.refundId + ":" + n.notifyId;
        a.refundId = n.refundId;
        a.paymentId = paymentId;
        a.orderId = orderId;
        a.notifyId = n.notifyId;
        a.channel = n.channel == null ? null : n.channel.name();
        a.amount = n.refundAmountCents == null ? null : Money.yuan(n.refundAmountCents);
        a.reason = reason;
        a.raisedAt = now;
        return a;
    }

    /** The outcome a matching notification tells, for refund.results. */
    static RefundOutcome outcome(RefundNotification n, RefundWatch w, long now) {
        RefundOutcome o = new RefundOutcome();
        o.outcomeId = RefundOutcome.outcomeId(n.refundId, n.status);
        o.refundId = n.refundId;
        o.paymentId = w.paymentId;
        o.orderId = w.orderId;
        o.channel = n.channel.name();
        o.status = n.status.name();
        o.amount = Money.yuan(refundedCents(n, w));
        o.channelRefundId = n.channelRefundId;
        o.refundedAt = n.status == RefundStatus.SUCCESS && n.refundedAt > 0 ? n.refundedAt : null;
        o.source = n.source;
        o.receivedAt = n.receivedAt;
        o.verifiedAt = now;
        return o;
    }

    /**
     * What a SUCCESS refunded: the channel's amount when it states one (never above the row's: a
     * higher one is rejected before), else the row's (Alipay states only the cumulative refund).
     * Any other outcome names the row's amount, the refund that did not happen.
     */
    static long refundedCents(RefundNotification n, RefundWatch w) {
        return n.status == RefundStatus.SUCCESS && n.refundAmountCents != null ? n.refundAmountCents : w.amountCents;
    }
}
