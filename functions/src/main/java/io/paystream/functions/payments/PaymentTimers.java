package io.paystream.functions.payments;

import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.payments.RequeryCommand;
import org.apache.flink.util.Collector;

/** What a payment's timer means in each {@code PaymentPhase}, and what it does. */
final class PaymentTimers {
    private final PaymentTimeouts fn;

    PaymentTimers(PaymentTimeouts fn) {
        this.fn = fn;
    }

    /** AWAITING_ROW: the row never came; whoever sent these notifications, there is no such payment here. */
    void onRowWaitTimer(PaymentWatch w, long timestamp, PaymentTimeouts.OnTimerContext ctx) throws Exception {
        if (timestamp >= w.rowWaitEndsAt()) {
            fn.watch.clear();
            fn.notifications.rejectAwaiting(ctx, "no payment row arrived within " + fn.rowWaitMs / 1000 + " s");
        }
    }

    /** REMEMBERED: forgotten {@code rememberFor} after its last change; an earlier timer sets itself again. */
    void onForgetTimer(PaymentWatch w, long timestamp, PaymentTimeouts.OnTimerContext ctx) throws Exception {
        if (timestamp >= w.lastChangeAt() + fn.rememberForMs) {
            fn.watch.clear(); // remembered long enough: forget the payment
        } else if (timestamp == w.forgetTimer) {
            // The payment changed since this timer was set: set the one timer again, later.
            w.forgetTimer = w.lastChangeAt() + fn.rememberForMs;
            fn.watch.update(w);
            ctx.timerService().registerProcessingTimeTimer(w.forgetTimer);
        }
    }

    /**
     * REQUERYING: the next re-query, or the lost-payment alert after the last one. Timers fire in
     * time order, so a due deadline whose own timer had already fired would have moved on; a timer
     * later than the deadline means an upgrade shortened the schedule and the deadline never got a
     * timer of its own: it is overdue now.
     */
    void onScheduleTimer(
            PaymentWatch w, long timestamp, PaymentTimeouts.OnTimerContext ctx, Collector<RequeryCommand> out)
            throws Exception {
        long due = fn.deadline(w);
        if (timestamp < due) {
            notDueYet(w, timestamp, due, ctx);
        } else if (w.nextAttempt <= fn.requerySchedule.size()) {
            requery(w, due, ctx, out);
        } else {
            alertLost(w, ctx);
        }
    }

    private void notDueYet(PaymentWatch w, long timestamp, long due, PaymentTimeouts.OnTimerContext ctx)
            throws Exception {
        if (timestamp == w.forgetTimer) {
            // The forget timer of an earlier settlement fired while paying again: the next
            // settlement sets a new one.
            w.forgetTimer = 0;
            fn.watch.update(w);
        }
        // A timer of an earlier schedule that could not be deleted, or of the schedule before an
        // upgrade that lengthened it: the current deadline must have its timer (registering the
        // same time twice is one timer).
        ctx.timerService().registerProcessingTimeTimer(due);
    }

    private void requery(PaymentWatch w, long due, PaymentTimeouts.OnTimerContext ctx, Collector<RequeryCommand> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        out.collect(PaymentMessages.requery(ctx.getCurrentKey(), w, fn.requerySchedule.size(), due, now));
        fn.metrics.requeriesSent.inc();
        fn.metrics.detectionLagMs.update(Math.max(0, now - due));
        w.nextAttempt++;
        w.lastActionAt = now; // the last re-query's time: the answer timeout runs from there
        ctx.timerService().registerProcessingTimeTimer(fn.deadline(w));
        fn.watch.update(w);
    }

    /** The last answer is overdue: a person has to look at it. */
    private void alertLost(PaymentWatch w, PaymentTimeouts.OnTimerContext ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        int max = fn.requerySchedule.size();
        ctx.output(
                PaymentTimeouts.ALERTS,
                PaymentMessages.lostExternal(ctx.getCurrentKey(), w, max, fn.answerTimeoutMs, now));
        fn.metrics.lostExternal.inc();
        fn.metrics.settled.inc();
        fn.remember(w, ctx);
    }
}
