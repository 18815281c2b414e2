package io.paystream.functions.payments;

import io.paystream.state.cdc.RowChange;
import io.paystream.state.payments.Alert;
import io.paystream.state.payments.Money;
import io.paystream.state.payments.PaymentNotification;
import io.paystream.state.payments.PaymentOutcome;
import io.paystream.state.payments.PaymentWatch;
import io.paystream.state.payments.RequeryCommand;
import io.paystream.state.shop.PaymentRow;
import io.paystream.state.shop.PaymentStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One truth per payment: its row from CDC, its verified notifications (callbacks and query
 * answers), its re-query schedule and what was already published about it.
 *
 * <ul>
 *   <li>External loss: a payment that enters PAYING and hears no outcome gets re-query commands at
 *       fixed offsets from its own PAYING time, then {@code LOST_PAYMENT_EXTERNAL} once the last
 *       answer is overdue. Any outcome (row or notification) ends the schedule.</li>
 *   <li>Outcomes: a verified notification that matches the row (channel, amount) and is a new fact
 *       is published once; resends are dropped. Notifications for a row not seen yet wait
 *       {@code rowWait}, then are rejected as UNKNOWN_PAYMENT.</li>
 * </ul>
 *
 * <p>Deadlines are processing-time timers computed from the row's timestamp, not event time: they
 * fire in a quiet night with no traffic, and after a restore the overdue ones fire at once. The
 * binlog version of each row makes replays and stale rows harmless. A payment is remembered for
 * {@code rememberFor} after its last change (channels resend for 24 h), then forgotten.
 */
public class PaymentTimeouts
        extends KeyedCoProcessFunction<String, RowChange<PaymentRow>, PaymentNotification, RequeryCommand> {
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String WATCH_STATE = "payment-watch";
    /** Name of a keyed state, also read by the jobs' savepoint report. */
    public static final String AWAITING_ROW_STATE = "awaiting-row";

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Alert> ALERTS = new OutputTag<>("payment-alerts", TypeInformation.of(Alert.class));
    public static final OutputTag<PaymentOutcome> OUTCOMES =
            new OutputTag<>("payment-outcomes", TypeInformation.of(PaymentOutcome.class));

    private final Schedule requerySchedule;
    private final long answerTimeoutMs;
    private final long rememberForMs;
    private final long rowWaitMs;
    private final Duration safetyTtl;

    private transient ValueState<PaymentWatch> watch;
    private transient ListState<PaymentNotification> awaitingRow;
    private transient Counter requeriesSent;
    private transient Counter lostExternal;
    private transient Counter recoveredByQuery;
    private transient Counter started;
    private transient Counter settled;
    private transient Counter replaysIgnored;
    private transient Counter outcomesPublished;
    private transient Counter duplicatesDropped;
    private transient Counter rejectedAmountMismatch;
    private transient Counter rejectedUnknownPayment;
    private transient Counter rejectedChannelMismatch;
    private transient Histogram detectionLagMs;

    public PaymentTimeouts(
            Schedule requerySchedule,
            Duration answerTimeout,
            Duration rememberFor,
            Duration rowWait,
            Duration safetyTtl) {
        if (requerySchedule.size() == 0) {
            throw new IllegalArgumentException("the re-query schedule needs at least one attempt");
        }
        this.requerySchedule = requerySchedule;
        this.answerTimeoutMs = answerTimeout.toMillis();
        this.rememberForMs = rememberFor.toMillis();
        this.rowWaitMs = rowWait.toMillis();
        this.safetyTtl = safetyTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        // A safety net only: every path below clears the state itself when the payment is done.
        StateTtlConfig ttl = StateTtlConfig.newBuilder(safetyTtl)
                .cleanupInRocksdbCompactFilter(10_000)
                .build();
        ValueStateDescriptor<PaymentWatch> w = new ValueStateDescriptor<>(WATCH_STATE, PaymentWatch.class);
        w.enableTimeToLive(ttl);
        watch = getRuntimeContext().getState(w);
        ListStateDescriptor<PaymentNotification> p =
                new ListStateDescriptor<>(AWAITING_ROW_STATE, PaymentNotification.class);
        p.enableTimeToLive(ttl);
        awaitingRow = getRuntimeContext().getListState(p);
        var metrics = getRuntimeContext().getMetricGroup();
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

    // --- the payment row ------------------------------------------------------------------------

    @Override
    public void processElement1(RowChange<PaymentRow> change, Context ctx, Collector<RequeryCommand> out)
            throws Exception {
        PaymentWatch w = watch.value();
        if (w != null && change.version <= w.version) {
            // A replay (restore, CDC re-read) or a row older than one already applied: nothing new.
            replaysIgnored.inc();
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        if (change.isDelete()) {
            // The row is gone: nothing left to watch or match against.
            if (w != null && w.isWatching()) {
                ctx.timerService().deleteProcessingTimeTimer(deadline(w));
                settled.inc();
            }
            watch.clear();
            rejectAwaiting(ctx, "payment row was deleted");
            return;
        }
        PaymentRow row = change.after;
        boolean notificationsWaiting = w != null && w.version < 0;
        if (w == null) {
            w = new PaymentWatch();
        } else if (notificationsWaiting) {
            // Notifications were waiting for this row: their wait timer is no longer needed.
            ctx.timerService().deleteProcessingTimeTimer(w.lastActionAt);
            w.lastActionAt = 0;
        }
        boolean wasWatching = w.isWatching();
        PaymentStatus previous = w.status;
        if (wasWatching && row.status != PaymentStatus.PAYING) {
            // Leaving PAYING: the running schedule ends here, whatever comes next.
            ctx.timerService().deleteProcessingTimeTimer(deadline(w));
            settled.inc();
        }
        w.version = change.version;
        w.status = row.status;
        w.orderId = row.orderId;
        w.channel = row.channel;
        w.amountCents = row.amountCents;

        if (row.status == PaymentStatus.PAYING && previous != PaymentStatus.PAYING) {
            // Entering PAYING (first time, or again after FAILED): a fresh schedule from the row's
            // own timestamp, so CDC delay and downtime are already counted in.
            w.payingSince = row.updatedAtMs;
            w.nextAttempt = 1;
            w.lastActionAt = 0;
            w.answersWithoutOutcome = 0;
            ctx.timerService().registerProcessingTimeTimer(deadline(w));
            started.inc();
            watch.update(w);
        } else if (!w.isWatching()) {
            // Not paying (yet, any more, or after an alert): remember the row to match
            // notifications and absorb replays, then forget it.
            remember(w, now, ctx);
        } else {
            watch.update(w); // still PAYING, another column changed: the schedule goes on
        }
        if (notificationsWaiting) {
            for (PaymentNotification n : drainAwaiting()) {
                onNotification(watch.value(), n, ctx);
            }
        }
    }

    // --- verified notifications -------------------------------------------------------------------

    @Override
    public void processElement2(PaymentNotification n, Context ctx, Collector<RequeryCommand> out) throws Exception {
        PaymentWatch w = watch.value();
        if (w == null || w.version < 0) {
            // The row has not arrived (CDC may lag the channel): wait a bounded time for it.
            if (w == null) {
                w = new PaymentWatch();
                w.lastActionAt = ctx.timerService().currentProcessingTime() + rowWaitMs;
                watch.update(w);
                ctx.timerService().registerProcessingTimeTimer(w.lastActionAt);
            }
            awaitingRow.add(n);
            return;
        }
        onNotification(w, n, ctx);
    }

    private void onNotification(PaymentWatch w, PaymentNotification n, Context ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        if (n.channel != w.channel) {
            reject(
                    Alert.FORGED_CALLBACK,
                    n,
                    w,
                    "a " + n.channel + " notification for a " + w.channel + " payment",
                    ctx);
            rejectedChannelMismatch.inc();
            return;
        }
        if (n.status == PaymentStatus.SUCCESS && n.amountCents != w.amountCents) {
            reject(
                    Alert.AMOUNT_MISMATCH,
                    n,
                    w,
                    n.channel + " says " + Money.yuan(n.amountCents) + " was paid, the payment is for "
                            + Money.yuan(w.amountCents),
                    ctx);
            rejectedAmountMismatch.inc();
            return;
        }
        if (n.status == null) {
            // The channel knows no outcome yet (a query answered NOTPAY): the schedule goes on.
            if (w.isWatching()) {
                w.answersWithoutOutcome++;
                watch.update(w);
            }
            return;
        }
        if (!isNewFact(w.publishedOutcomes, n.status)) {
            duplicatesDropped.inc(); // a resend, or a late copy of an earlier attempt's failure
            return;
        }
        PaymentOutcome o = new PaymentOutcome();
        o.paymentId = n.paymentId;
        o.orderId = w.orderId;
        o.channel = n.channel.name();
        o.channelTxnId = n.channelTxnId;
        o.amount = Money.yuan(n.status == PaymentStatus.SUCCESS ? n.amountCents : w.amountCents);
        o.status = n.status.name();
        o.paidAt = n.paidAt > 0 ? n.paidAt : null;
        o.source = n.source;
        o.verifiedAt = now;
        ctx.output(OUTCOMES, o);
        outcomesPublished.inc();
        w.publishedOutcomes |= 1 << n.status.ordinal();
        if (w.isWatching()) {
            // An outcome ends the schedule, even before the payment center writes it to the row.
            ctx.timerService().deleteProcessingTimeTimer(deadline(w));
            settled.inc();
            if (PaymentNotification.QUERY.equals(n.source) && n.status == PaymentStatus.SUCCESS) {
                recoveredByQuery.inc();
            }
        }
        remember(w, now, ctx);
    }

    /**
     * Each outcome of a payment is published at most once. A FAILED after SUCCESS or CLOSED can
     * only be a late copy of an earlier attempt's failure; SUCCESS after FAILED (a retry that paid)
     * and CLOSED after SUCCESS (closed or refunded) are new facts.
     */
    static boolean isNewFact(int published, PaymentStatus status) {
        if ((published & (1 << status.ordinal())) != 0) {
            return false;
        }
        if (status == PaymentStatus.FAILED) {
            int later = (1 << PaymentStatus.SUCCESS.ordinal()) | (1 << PaymentStatus.CLOSED.ordinal());
            return (published & later) == 0;
        }
        return true;
    }

    // --- timers -------------------------------------------------------------------------------------

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RequeryCommand> out) throws Exception {
        PaymentWatch w = watch.value();
        if (w == null) {
            return;
        }
        if (w.version < 0) {
            // The row never came: whoever sent these notifications, there is no such payment here.
            if (timestamp >= w.lastActionAt) {
                watch.clear();
                rejectAwaiting(ctx, "no payment row arrived within " + rowWaitMs / 1000 + " s");
            }
            return;
        }
        if (!w.isWatching()) {
            if (timestamp >= w.lastActionAt + rememberForMs) {
                watch.clear(); // remembered long enough: forget the payment
            } else if (timestamp == w.forgetTimer) {
                // The payment changed since this timer was set: set the one timer again, later.
                w.forgetTimer = w.lastActionAt + rememberForMs;
                watch.update(w);
                ctx.timerService().registerProcessingTimeTimer(w.forgetTimer);
            }
            return;
        }
        long due = deadline(w);
        if (timestamp < due) {
            if (timestamp == w.forgetTimer) {
                // The forget timer of an earlier settlement fired while paying again: the next
                // settlement sets a new one.
                w.forgetTimer = 0;
                watch.update(w);
            }
            // A timer of an earlier schedule that could not be deleted, or of the schedule before
            // an upgrade that lengthened it: the current deadline must have its timer (registering
            // the same time twice is one timer).
            ctx.timerService().registerProcessingTimeTimer(due);
            return;
        }
        // Due: timers fire in time order, so a due deadline whose own timer had already fired
        // would have moved on. A timer later than the deadline means the schedule was shortened
        // by an upgrade, and the deadline never got a timer of its own: it is overdue now.
        long now = ctx.timerService().currentProcessingTime();
        int max = requerySchedule.size();
        if (w.nextAttempt <= max) {
            RequeryCommand cmd = new RequeryCommand();
            cmd.paymentId = ctx.getCurrentKey();
            cmd.orderId = w.orderId;
            cmd.channel = w.channel.name();
            cmd.attempt = w.nextAttempt;
            cmd.maxAttempts = max;
            cmd.payingSince = w.payingSince;
            cmd.dueAt = due;
            cmd.emittedAt = now;
            cmd.commandId = RequeryCommand.commandId(cmd.paymentId, w.payingSince, w.nextAttempt);
            out.collect(cmd);
            requeriesSent.inc();
            detectionLagMs.update(Math.max(0, now - due));
            w.nextAttempt++;
            w.lastActionAt = now;
            ctx.timerService().registerProcessingTimeTimer(deadline(w));
            watch.update(w);
        } else {
            // The last answer is overdue: a person has to look at it.
            Alert a = new Alert();
            a.type = Alert.LOST_PAYMENT_EXTERNAL;
            a.alertId = a.type + ":" + ctx.getCurrentKey() + ":" + w.payingSince;
            a.paymentId = ctx.getCurrentKey();
            a.orderId = w.orderId;
            a.channel = w.channel.name();
            a.amount = Money.yuan(w.amountCents);
            a.reason = "no outcome " + answerTimeoutMs / 1000 + " s after re-query " + max + " of " + max
                    + " (PAYING since " + w.payingSince + ")";
            a.raisedAt = now;
            ctx.output(ALERTS, a);
            lostExternal.inc();
            settled.inc();
            w.nextAttempt = 0;
            remember(w, now, ctx);
        }
    }

    /** When the next thing is due: the next attempt's offset, or the last answer's timeout. */
    private long deadline(PaymentWatch w) {
        if (w.nextAttempt <= requerySchedule.size()) {
            return w.payingSince + requerySchedule.offset(w.nextAttempt);
        }
        // After a restore the attempts may have gone out late: the answer gets its full timeout.
        long lastDue = w.payingSince + requerySchedule.offset(requerySchedule.size());
        return Math.max(lastDue, w.lastActionAt) + answerTimeoutMs;
    }

    /** Keeps the payment as a marker until {@code rememberFor} after now. */
    private void remember(PaymentWatch w, long now, Context ctx) throws Exception {
        w.nextAttempt = 0;
        w.lastActionAt = now;
        if (w.forgetTimer == 0) {
            // One forget timer per payment: later changes only move lastActionAt, and the timer,
            // when it fires early, sets itself again (cheaper than delete and register each time).
            w.forgetTimer = now + rememberForMs;
            ctx.timerService().registerProcessingTimeTimer(w.forgetTimer);
        }
        watch.update(w);
    }

    private void reject(String type, PaymentNotification n, PaymentWatch w, String reason, Context ctx) {
        Alert a = new Alert();
        a.type = type;
        a.alertId = type + ":" + n.paymentId + ":" + n.notifyId;
        a.paymentId = n.paymentId;
        a.orderId = w == null || w.version < 0 ? null : w.orderId;
        a.channel = n.channel.name();
        a.amount = Money.yuan(n.amountCents);
        a.reason = reason;
        a.raisedAt = ctx.timerService().currentProcessingTime();
        ctx.output(ALERTS, a);
    }

    private void rejectAwaiting(Context ctx, String reason) throws Exception {
        for (PaymentNotification n : drainAwaiting()) {
            reject(Alert.UNKNOWN_PAYMENT, n, null, reason, ctx);
            rejectedUnknownPayment.inc();
        }
    }

    private List<PaymentNotification> drainAwaiting() throws Exception {
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
}
