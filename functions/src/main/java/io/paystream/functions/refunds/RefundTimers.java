package io.paystream.functions.refunds;

import io.paystream.state.refunds.RefundPhase;
import io.paystream.state.refunds.RefundRequeryCommand;
import io.paystream.state.refunds.RefundWatch;
import org.apache.flink.util.Collector;

/**
 * A refund's timers, as {@code PaymentTimers} are a payment's: the re-query schedule (started,
 * ended, its next deadline), the forget timer of a REMEMBERED refund, and what a timer means in
 * each {@code RefundPhase}.
 */
final class RefundTimers {
    private final RefundTimeouts fn;

    RefundTimers(RefundTimeouts fn) {
        this.fn = fn;
    }

    /**
     * Entering REFUNDING (first time, or again after FAILED): a fresh schedule from the row's own
     * timestamp, so CDC delay and downtime are already counted in; the entering row's binlog version
     * names its commands, so a replay after a restore makes the same ids.
     */
    void startSchedule(RefundWatch w, long refundingVersion, long refundingSince, RefundTimeouts.Context ctx)
            throws Exception {
        w.phase = RefundPhase.REQUERYING;
        w.refundingVersion = refundingVersion;
        w.refundingSince = refundingSince;
        w.nextAttempt = 1;
        w.lastActionAt = 0;
        w.answersWithoutOutcome = 0;
        ctx.timerService().registerProcessingTimeTimer(deadline(w));
        fn.metrics.started.inc();
        fn.watch.update(w);
    }

    /** The running schedule ends (an outcome, the row leaving REFUNDING or deleted): its timer goes. */
    void endSchedule(RefundWatch w, RefundTimeouts.Context ctx) {
        ctx.timerService().deleteProcessingTimeTimer(deadline(w));
        fn.metrics.settled.inc();
    }

    /** REQUERYING: when the next thing is due, the next attempt's offset or the last answer's timeout. */
    long deadline(RefundWatch w) {
        if (w.nextAttempt <= fn.requerySchedule.size()) {
            return w.refundingSince + fn.requerySchedule.offset(w.nextAttempt);
        }
        // After a restore the attempts may have gone out late: the answer gets its full timeout.
        long lastDue = w.refundingSince + fn.requerySchedule.offset(fn.requerySchedule.size());
        return Math.max(lastDue, w.lastRequeryAt()) + fn.answerTimeoutMs;
    }

    /** Keeps the refund REMEMBERED until {@code rememberFor} after now. */
    void remember(RefundWatch w, RefundTimeouts.Context ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        w.phase = RefundPhase.REMEMBERED;
        w.nextAttempt = 0;
        w.lastActionAt = now;
        if (w.forgetTimer == 0) {
            // One forget timer per refund: later changes only move lastActionAt, and the timer, when
            // it fires early, sets itself again (cheaper than delete and register each time).
            w.forgetTimer = now + fn.rememberForMs;
            ctx.timerService().registerProcessingTimeTimer(w.forgetTimer);
        }
        fn.watch.update(w);
    }

    /** AWAITING_ROW: the row never came; whoever sent these notifications, there is no such refund here. */
    void onRowWaitTimer(RefundWatch w, long timestamp, RefundTimeouts.OnTimerContext ctx) throws Exception {
        if (timestamp < w.rowWaitEndsAt()) {
            return; // not this wait's end (a timer of an earlier wait that was not deleted)
        }
        if (fn.restoreGrace.defers(ctx.timerService())) {
            return; // just restored: the row may be among the replayed input; judged at the grace's end
        }
        if (w.unknownRefundAlerted) {
            // Kept as long as a known refund is remembered, and no row came: not the shop's refund.
            fn.watch.clear();
            fn.notifications.forgetAwaiting();
            return;
        }
        // No row within the wait: a person should know now, but the notifications stay. The row may
        // only be late (a binlog reader stalled by a database restart or failover), and a verified
        // outcome dropped here is lost for good: the channel stops resending once acknowledged.
        fn.notifications.alertAwaiting(
                ctx,
                "no refund row arrived within " + fn.rowWaitMs / 1000 + " s; kept " + fn.rememberForMs / 3_600_000
                        + " h and applied if its row arrives");
        w.unknownRefundAlerted = true;
        w.lastActionAt = timestamp - fn.rowWaitMs + fn.rememberForMs;
        fn.watch.update(w);
        ctx.timerService().registerProcessingTimeTimer(w.rowWaitEndsAt());
    }

    /** REMEMBERED: forgotten {@code rememberFor} after its last change; an earlier timer sets itself again. */
    void onForgetTimer(RefundWatch w, long timestamp, RefundTimeouts.OnTimerContext ctx) throws Exception {
        if (timestamp >= w.lastChangeAt() + fn.rememberForMs) {
            if (fn.restoreGrace.defers(ctx.timerService())) {
                // Just restored: a replayed change may still move the last change. The timer at the
                // grace's end is now the one forget timer, judged (and set again) as any.
                w.forgetTimer = fn.restoreGrace.endsAt();
                fn.watch.update(w);
                return;
            }
            fn.watch.clear(); // remembered long enough: forget the refund
        } else if (timestamp == w.forgetTimer) {
            // The refund changed since this timer was set: set the one timer again, later.
            w.forgetTimer = w.lastChangeAt() + fn.rememberForMs;
            fn.watch.update(w);
            ctx.timerService().registerProcessingTimeTimer(w.forgetTimer);
        }
        // Else a timer of an earlier schedule that could not be deleted: the forget timer stands.
    }

    /**
     * REQUERYING: the next re-query, or the lost-refund alert after the last one. Timers fire in
     * time order, so a due deadline whose own timer had already fired would have moved on; a timer
     * later than the deadline means an upgrade shortened the schedule and the deadline never got a
     * timer of its own: it is overdue now.
     */
    void onScheduleTimer(
            RefundWatch w, long timestamp, RefundTimeouts.OnTimerContext ctx, Collector<RefundRequeryCommand> out)
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

    private void notDueYet(RefundWatch w, long timestamp, long due, RefundTimeouts.OnTimerContext ctx)
            throws Exception {
        if (timestamp == w.forgetTimer) {
            // The forget timer of an earlier settlement fired while refunding again: the next
            // settlement sets a new one.
            w.forgetTimer = 0;
            fn.watch.update(w);
        }
        // A timer of an earlier schedule that could not be deleted, or of the schedule before an
        // upgrade that lengthened it: the current deadline must have its timer (registering the
        // same time twice is one timer).
        ctx.timerService().registerProcessingTimeTimer(due);
    }

    private void requery(
            RefundWatch w, long due, RefundTimeouts.OnTimerContext ctx, Collector<RefundRequeryCommand> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        out.collect(RefundMessages.requery(ctx.getCurrentKey(), w, fn.requerySchedule.size(), due, now));
        fn.metrics.requeriesSent.inc();
        w.nextAttempt++;
        w.lastActionAt = now; // the last re-query's time: the answer timeout runs from there
        ctx.timerService().registerProcessingTimeTimer(deadline(w));
        fn.watch.update(w);
    }

    /** The last answer is overdue: a person has to look at it. */
    private void alertLost(RefundWatch w, RefundTimeouts.OnTimerContext ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        int max = fn.requerySchedule.size();
        ctx.output(RefundTimeouts.ALERTS, RefundMessages.lost(ctx.getCurrentKey(), w, max, fn.answerTimeoutMs, now));
        fn.metrics.lost.inc();
        fn.metrics.settled.inc();
        remember(w, ctx);
    }
}
