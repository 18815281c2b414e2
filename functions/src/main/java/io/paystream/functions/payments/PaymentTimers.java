package io.paystream.functions.payments;

import io.paystream.state.payments.PaymentPhase;
import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.payments.RequeryCommand;
import org.apache.flink.util.Collector;

/**
 * A payment's timers: the re-query schedule (started, ended, its next deadline), the forget timer
 * of a REMEMBERED payment, and what a timer means in each {@code PaymentPhase}.
 */
final class PaymentTimers {
    private final PaymentTimeouts fn;

    PaymentTimers(PaymentTimeouts fn) {
        this.fn = fn;
    }

    /**
     * Entering PAYING (first time, or again after FAILED): a fresh schedule from the row's own
     * timestamp, so CDC delay and downtime are already counted in.
     */
    void startSchedule(PaymentWatch w, long payingSince, PaymentTimeouts.Context ctx) throws Exception {
        w.phase = PaymentPhase.REQUERYING;
        w.payingSince = payingSince;
        w.nextAttempt = 1;
        w.lastActionAt = 0;
        w.answersWithoutOutcome = 0;
        ctx.timerService().registerProcessingTimeTimer(deadline(w));
        fn.metrics.started.inc();
        fn.watch.update(w);
    }

    /** The running schedule ends (an outcome, the row leaving PAYING or deleted): its timer goes. */
    void endSchedule(PaymentWatch w, PaymentTimeouts.Context ctx) {
        ctx.timerService().deleteProcessingTimeTimer(deadline(w));
        fn.metrics.settled.inc();
    }

    /** REQUERYING: when the next thing is due, the next attempt's offset or the last answer's timeout. */
    long deadline(PaymentWatch w) {
        if (w.nextAttempt <= fn.requerySchedule.size()) {
            return w.payingSince + fn.requerySchedule.offset(w.nextAttempt);
        }
        // After a restore the attempts may have gone out late: the answer gets its full timeout.
        long lastDue = w.payingSince + fn.requerySchedule.offset(fn.requerySchedule.size());
        return Math.max(lastDue, w.lastRequeryAt()) + fn.answerTimeoutMs;
    }

    /** Keeps the payment REMEMBERED until {@code rememberFor} after now. */
    void remember(PaymentWatch w, PaymentTimeouts.Context ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        w.phase = PaymentPhase.REMEMBERED;
        w.nextAttempt = 0; // as versions before the phase field had it: they can still read this state
        w.lastActionAt = now;
        if (w.forgetTimer == 0) {
            // One forget timer per payment: later changes only move lastActionAt, and the timer,
            // when it fires early, sets itself again (cheaper than delete and register each time).
            w.forgetTimer = now + fn.rememberForMs;
            ctx.timerService().registerProcessingTimeTimer(w.forgetTimer);
        }
        fn.watch.update(w);
    }

    /** AWAITING_ROW: the row never came; whoever sent these notifications, there is no such payment here. */
    void onRowWaitTimer(PaymentWatch w, long timestamp, PaymentTimeouts.OnTimerContext ctx) throws Exception {
        if (timestamp < w.rowWaitEndsAt()) {
            return;
        }
        if (fn.restoreGrace.defers(ctx.timerService())) {
            return; // just restored: the row may be among the replayed input; judged at the grace's end
        }
        if (w.unknownPaymentAlerted) {
            // Kept as long as a known payment is remembered, and no row came: not the shop's payment.
            fn.watch.clear();
            fn.notifications.forgetAwaiting();
            return;
        }
        // No row within the wait: a person should know now, but the notifications stay. The row may
        // only be late (a binlog reader stalled by a database restart or failover delivers it
        // minutes later, as the fault soak showed), and a verified outcome dropped here is lost for
        // good: the channel stops resending once the gateway acknowledged it.
        fn.notifications.alertAwaiting(
                ctx,
                "no payment row arrived within " + fn.rowWaitMs / 1000 + " s; kept " + fn.rememberForMs / 3_600_000
                        + " h and applied if its row arrives");
        w.unknownPaymentAlerted = true;
        w.lastActionAt = timestamp - fn.rowWaitMs + fn.rememberForMs;
        fn.watch.update(w);
        ctx.timerService().registerProcessingTimeTimer(w.rowWaitEndsAt());
    }

    /** REMEMBERED: forgotten {@code rememberFor} after its last change; an earlier timer sets itself again. */
    void onForgetTimer(PaymentWatch w, long timestamp, PaymentTimeouts.OnTimerContext ctx) throws Exception {
        if (timestamp >= w.lastChangeAt() + fn.rememberForMs) {
            if (fn.restoreGrace.defers(ctx.timerService())) {
                // Just restored: a replayed change may still move the last change. The timer at the
                // grace's end is now the one forget timer, judged (and set again) as any.
                w.forgetTimer = fn.restoreGrace.endsAt();
                fn.watch.update(w);
                return;
            }
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
        long due = deadline(w);
        if (timestamp < due) {
            notDueYet(w, timestamp, due, ctx);
        } else if (fn.restoreGrace.defers(ctx.timerService())) {
            // Due, but the job has just restored: an answer replayed from the checkpoint may still
            // end the schedule. Judged again at the grace's end (the deadline stays where it is).
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
        ctx.timerService().registerProcessingTimeTimer(deadline(w));
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
        remember(w, ctx);
    }
}
