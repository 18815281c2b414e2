package io.paystream.functions.payments;

import io.paystream.state.contract.OrderCommand;
import io.paystream.state.payments.OrderPaymentPhase;
import io.paystream.state.payments.OrderPaymentWatch;
import io.paystream.state.shop.PaymentRow;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;

/**
 * The re-notify schedule of one order whose payment succeeded ({@link OrderPaidTimeouts}): started
 * by the success, ended by the order turning PAID (or the payment no longer a success), and on
 * each timer the next re-notification or, after the last one, the alert (phase RENOTIFYING). An
 * ended order is kept a while as a marker (REMEMBERED), so that late or replayed rows change nothing.
 */
final class RenotifySchedule {
    private final OrderPaidTimeouts fn;
    private final Counter renotifiesSent;
    private final Counter lostInternal;
    private final Counter recoveredAfterRenotify;
    private final Counter started;
    private final Counter ended;

    RenotifySchedule(OrderPaidTimeouts fn, MetricGroup metrics) {
        this.fn = fn;
        renotifiesSent = metrics.counter("renotifiesSent");
        lostInternal = metrics.counter("lostPaymentsInternal");
        recoveredAfterRenotify = metrics.counter("recoveredAfterRenotify");
        started = metrics.counter("unpaidSuccessesWatched");
        ended = metrics.counter("unpaidSuccessesEnded");
        metrics.gauge("openInternalWatches", () -> started.getCount() - ended.getCount());
    }

    /** A payment of the order succeeded: the first re-notification is due {@code timeout} after it. */
    void start(OrderPaymentWatch w, PaymentRow row, long version, OrderPaidTimeouts.Context ctx) throws Exception {
        w.paymentId = row.paymentId;
        w.channel = row.channel;
        w.channelTxnId = row.channelTxnId;
        w.amountCents = row.amountCents;
        w.successAt = row.updatedAtMs;
        w.paymentVersion = version;
        w.phase = OrderPaymentPhase.RENOTIFYING;
        w.nextAttempt = 1;
        w.lastActionAt = 0;
        fn.watch.update(w);
        ctx.timerService().registerProcessingTimeTimer(deadline(w));
        started.inc();
    }

    /** The order turned PAID: a running schedule ends, counted as recovered if a re-notification went out. */
    void stopOnPaid(OrderPaymentWatch w, OrderPaidTimeouts.Context ctx) {
        if (w.isRenotifying() && w.nextAttempt > 1) {
            recoveredAfterRenotify.inc();
        }
        stop(w, ctx);
    }

    /** Ends a running schedule (if any): its timer goes. */
    void stop(OrderPaymentWatch w, OrderPaidTimeouts.Context ctx) {
        if (w != null && w.isRenotifying()) {
            ctx.timerService().deleteProcessingTimeTimer(deadline(w));
            ended.inc();
            w.phase = OrderPaymentPhase.REMEMBERED;
            w.nextAttempt = 0; // as versions before the phase field had it
        }
    }

    /** Kept as a marker (PAID, or alerted) for {@code settledRetention} from now. */
    void remember(OrderPaymentWatch w, OrderPaidTimeouts.Context ctx) throws Exception {
        w.phase = OrderPaymentPhase.REMEMBERED;
        w.nextAttempt = 0; // as versions before the phase field had it: they can still read this state
        w.lastActionAt = ctx.timerService().currentProcessingTime();
        fn.watch.update(w);
        ctx.timerService().registerProcessingTimeTimer(w.endedAt() + fn.settledRetentionMs);
    }

    /** REMEMBERED: the marker goes when its retention is over. */
    void onForgetTimer(OrderPaymentWatch w, long timestamp, OrderPaidTimeouts.OnTimerContext ctx) {
        if (timestamp >= w.endedAt() + fn.settledRetentionMs) {
            if (fn.restoreGrace.defers(ctx.timerService())) {
                return; // just restored: a replayed row may still move the end; judged at the grace's end
            }
            fn.watch.clear(); // a marker (PAID, or alerted): its retention is over
        }
    }

    /** RENOTIFYING: the next re-notification, or the alert after the last one. */
    void onRenotifyTimer(
            OrderPaymentWatch w, long timestamp, OrderPaidTimeouts.OnTimerContext ctx, Collector<OrderCommand> out)
            throws Exception {
        long due = deadline(w);
        if (timestamp < due) {
            // A timer of an earlier schedule, or of the schedule before an upgrade that lengthened
            // it: the current deadline must have its timer (the same time twice is one timer).
            ctx.timerService().registerProcessingTimeTimer(due);
        } else if (fn.restoreGrace.defers(ctx.timerService())) {
            // Due, but the job has just restored: the order's PAID row replayed from the checkpoint
            // may still end the schedule. Judged again at the grace's end.
        } else if (w.nextAttempt <= maxAttempts()) {
            // Due (a timer later than the deadline: an upgrade shortened the schedule, it is overdue).
            renotify(w, ctx, out);
        } else {
            alertLost(w, ctx);
        }
    }

    private void renotify(OrderPaymentWatch w, OrderPaidTimeouts.OnTimerContext ctx, Collector<OrderCommand> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        out.collect(PaymentMessages.renotify(ctx.getCurrentKey(), w, maxAttempts(), now));
        renotifiesSent.inc();
        w.nextAttempt++;
        w.lastActionAt = now;
        fn.watch.update(w);
        ctx.timerService().registerProcessingTimeTimer(deadline(w));
    }

    private void alertLost(OrderPaymentWatch w, OrderPaidTimeouts.OnTimerContext ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        ctx.output(OrderPaidTimeouts.ALERTS, PaymentMessages.lostInternal(ctx.getCurrentKey(), w, maxAttempts(), now));
        lostInternal.inc();
        ended.inc();
        remember(w, ctx);
    }

    private int maxAttempts() {
        return 1 + fn.retryGaps.size();
    }

    private long deadline(OrderPaymentWatch w) {
        if (w.nextAttempt == 1) {
            return w.successAt + fn.timeoutMs;
        }
        if (w.nextAttempt <= maxAttempts()) {
            return w.lastRenotifyAt() + fn.retryGaps.offset(w.nextAttempt - 1);
        }
        return w.lastRenotifyAt() + fn.giveUpAfterMs;
    }
}
