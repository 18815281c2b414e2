package io.paystream.functions.payments;

import io.paystream.state.contract.Alert;
import io.paystream.state.contract.Money;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.shop.PaymentStatus;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;

/**
 * Notifications waiting for their payment's row (AWAITING_ROW), and a verified notification
 * against the payment's known row (REQUERYING or REMEMBERED): rejected
 * when the row refutes it (another channel, another amount), counted when it tells no outcome
 * yet, dropped when it is a resend, else published once, which ends a running schedule.
 */
final class PaymentNotifications {
    private final PaymentTimeouts fn;
    /** Notifications of a payment in AWAITING_ROW, in arrival order. */
    private final ListState<PaymentNotification> awaitingRow;

    PaymentNotifications(PaymentTimeouts fn, ListState<PaymentNotification> awaitingRow) {
        this.fn = fn;
        this.awaitingRow = awaitingRow;
    }

    /** AWAITING_ROW: kept until the row comes or the wait is over. */
    void awaitRow(PaymentNotification n) throws Exception {
        awaitingRow.add(n);
    }

    /** The waiting notifications, taken out of the state. */
    List<PaymentNotification> drainAwaiting() throws Exception {
        List<PaymentNotification> out = new ArrayList<>();
        Iterable<PaymentNotification> it = awaitingRow.get();
        if (it != null) {
            it.forEach(out::add);
        }
        if (!out.isEmpty()) {
            awaitingRow.clear();
        }
        return out;
    }

    /** Rejects every waiting notification as UNKNOWN_PAYMENT (the row was deleted). */
    void rejectAwaiting(PaymentTimeouts.Context ctx, String reason) throws Exception {
        alert(ctx, drainAwaiting(), reason);
    }

    /** Alerts every waiting notification as UNKNOWN_PAYMENT, keeping them for a late row. */
    void alertAwaiting(PaymentTimeouts.Context ctx, String reason) throws Exception {
        List<PaymentNotification> waiting = new ArrayList<>();
        Iterable<PaymentNotification> it = awaitingRow.get();
        if (it != null) {
            it.forEach(waiting::add);
        }
        alert(ctx, waiting, reason);
    }

    /** Drops the waiting notifications, already alerted: their payment is not the shop's. */
    void forgetAwaiting() {
        awaitingRow.clear();
    }

    private void alert(PaymentTimeouts.Context ctx, List<PaymentNotification> notifications, String reason) {
        long now = ctx.timerService().currentProcessingTime();
        for (PaymentNotification n : notifications) {
            ctx.output(PaymentTimeouts.ALERTS, PaymentMessages.rejection(Alert.UNKNOWN_PAYMENT, n, null, reason, now));
            fn.metrics.rejectedUnknownPayment.inc();
        }
    }

    void onNotification(PaymentWatch w, PaymentNotification n, PaymentTimeouts.Context ctx) throws Exception {
        if (refutedByRow(w, n, ctx)) {
            return;
        }
        if (n.status == null) {
            // The channel knows no outcome yet (a query answered NOTPAY): the schedule goes on.
            if (w.isRequerying()) {
                w.answersWithoutOutcome++;
                fn.watch.update(w);
            }
            return;
        }
        if (!PublishedOutcomes.isNewFact(w.publishedOutcomes, n.status)) {
            fn.metrics.duplicatesDropped.inc(); // a resend, or a late copy of an earlier attempt's failure
            return;
        }
        publish(w, n, ctx);
    }

    /** Rejects, with an alert, a notification of another channel or (a success) of another amount. */
    private boolean refutedByRow(PaymentWatch w, PaymentNotification n, PaymentTimeouts.Context ctx) {
        String reason;
        if (n.channel != w.channel) {
            reason = "a " + n.channel + " notification for a " + w.channel + " payment";
            ctx.output(PaymentTimeouts.ALERTS, rejection(Alert.FORGED_CALLBACK, n, w, reason, ctx));
            fn.metrics.rejectedChannelMismatch.inc();
            return true;
        }
        if (n.status == PaymentStatus.SUCCESS && n.amountCents != w.amountCents) {
            reason = n.channel + " says " + Money.yuan(n.amountCents) + " was paid, the payment is for "
                    + Money.yuan(w.amountCents);
            ctx.output(PaymentTimeouts.ALERTS, rejection(Alert.AMOUNT_MISMATCH, n, w, reason, ctx));
            fn.metrics.rejectedAmountMismatch.inc();
            return true;
        }
        return false;
    }

    /** Publishes a new outcome; it ends the schedule, even before the payment center writes it to the row. */
    private void publish(PaymentWatch w, PaymentNotification n, PaymentTimeouts.Context ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        ctx.output(PaymentTimeouts.OUTCOMES, PaymentMessages.outcome(n, w, now));
        fn.metrics.outcomesPublished.inc();
        w.publishedOutcomes = PublishedOutcomes.with(w.publishedOutcomes, n.status);
        if (w.isRequerying()) {
            fn.timers.endSchedule(w, ctx);
            if (PaymentNotification.QUERY.equals(n.source) && n.status == PaymentStatus.SUCCESS) {
                fn.metrics.recoveredByQuery.inc();
            }
        }
        fn.timers.remember(w, ctx);
    }

    private static Alert rejection(
            String type, PaymentNotification n, PaymentWatch w, String reason, PaymentTimeouts.Context ctx) {
        return PaymentMessages.rejection(
                type, n, w.orderId, reason, ctx.timerService().currentProcessingTime());
    }
}
