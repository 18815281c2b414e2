package io.paystream.functions.payments;

import io.paystream.state.contract.Alert;
import io.paystream.state.contract.Money;
import io.paystream.state.contract.OrderCommand;
import io.paystream.state.payments.OrderPaymentWatch;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.PaymentOutcome;
import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.shop.PaymentStatus;

/** What the per-payment operator emits, built from its state: commands, outcomes and alerts. */
final class PaymentMessages {
    private PaymentMessages() {}

    /** Re-query {@code w.nextAttempt} of {@code maxAttempts}, due at {@code dueAt}. */
    static RequeryCommand requery(String paymentId, PaymentWatch w, int maxAttempts, long dueAt, long now) {
        RequeryCommand cmd = new RequeryCommand();
        cmd.paymentId = paymentId;
        cmd.orderId = w.orderId;
        cmd.channel = w.channel.name();
        cmd.attempt = w.nextAttempt;
        cmd.maxAttempts = maxAttempts;
        cmd.payingSince = w.payingSince;
        cmd.dueAt = dueAt;
        cmd.emittedAt = now;
        cmd.commandId = RequeryCommand.commandId(paymentId, w.payingSince, w.nextAttempt);
        return cmd;
    }

    /** No outcome {@code answerTimeoutMs} after the last of {@code maxAttempts} re-queries. */
    static Alert lostExternal(String paymentId, PaymentWatch w, int maxAttempts, long answerTimeoutMs, long now) {
        Alert a = new Alert();
        a.type = Alert.LOST_PAYMENT_EXTERNAL;
        a.alertId = a.type + ":" + paymentId + ":" + w.payingSince;
        a.paymentId = paymentId;
        a.orderId = w.orderId;
        a.channel = w.channel.name();
        a.amount = Money.yuan(w.amountCents);
        a.reason = "no outcome " + answerTimeoutMs / 1000 + " s after re-query " + maxAttempts + " of " + maxAttempts
                + " (PAYING since " + w.payingSince + ")";
        a.raisedAt = now;
        return a;
    }

    /** A verified notification that this payment's row refutes; {@code orderId} null when no row is known. */
    static Alert rejection(String type, PaymentNotification n, Long orderId, String reason, long now) {
        Alert a = new Alert();
        a.type = type;
        a.alertId = type + ":" + n.paymentId + ":" + n.notifyId;
        a.paymentId = n.paymentId;
        a.orderId = orderId;
        a.channel = n.channel.name();
        a.amount = Money.yuan(n.amountCents);
        a.reason = reason;
        a.raisedAt = now;
        return a;
    }

    /** The outcome a matching notification tells, for payment.results. */
    static PaymentOutcome outcome(PaymentNotification n, PaymentWatch w, long now) {
        PaymentOutcome o = new PaymentOutcome();
        o.paymentId = n.paymentId;
        o.orderId = w.orderId;
        o.channel = n.channel.name();
        o.channelTxnId = n.channelTxnId;
        o.amount = Money.yuan(n.status == PaymentStatus.SUCCESS ? n.amountCents : w.amountCents);
        o.status = n.status.name();
        o.paidAt = n.paidAt > 0 ? n.paidAt : null;
        o.source = n.source;
        o.receivedAt = n.receivedAt;
        o.verifiedAt = now;
        return o;
    }

    /** Re-notify {@code w.nextAttempt} of {@code maxAttempts}: the business needs what it takes to apply the payment. */
    static OrderCommand renotify(long orderId, OrderPaymentWatch w, int maxAttempts, long now) {
        OrderCommand c = new OrderCommand();
        c.type = OrderCommand.RENOTIFY_BUSINESS;
        c.commandId = c.type + ":" + w.paymentId + ":" + w.successAt + ":" + w.nextAttempt;
        c.orderId = orderId;
        c.paymentId = w.paymentId;
        c.channel = w.channel.name();
        c.channelTxnId = w.channelTxnId;
        c.amount = Money.yuan(w.amountCents);
        c.paidAt = w.successAt;
        c.attempt = w.nextAttempt;
        c.maxAttempts = maxAttempts;
        c.reason = "payment " + w.paymentId + " SUCCESS, order " + orderId + " not PAID " + (now - w.successAt) / 1000
                + " s later (order status " + (w.orderStatus == null ? "unknown" : w.orderStatus) + ")";
        c.emittedAt = now;
        return c;
    }

    /** The order still not PAID after every re-notification. */
    static Alert lostInternal(long orderId, OrderPaymentWatch w, int maxAttempts, long now) {
        Alert a = new Alert();
        a.type = Alert.LOST_PAYMENT_INTERNAL;
        a.alertId = a.type + ":" + w.paymentId + ":" + w.successAt;
        a.paymentId = w.paymentId;
        a.orderId = orderId;
        a.channel = w.channel.name();
        a.amount = Money.yuan(w.amountCents);
        a.reason = "payment SUCCESS at " + w.successAt + ", order still not PAID after " + maxAttempts
                + " re-notifications";
        a.raisedAt = now;
        return a;
    }
}
